import { createCalculatorTool } from './calculator.js';
import { createClockTool } from './clock.js';

/** Every tool the agent may call. */
export function createTools(options: { now?: () => Date } = {}) {
  return [createCalculatorTool(), createClockTool(options.now)];
}
