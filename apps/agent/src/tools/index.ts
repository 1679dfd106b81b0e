import type { KnowledgeIndex } from '../knowledge/index.js';
import { createCalculatorTool } from './calculator.js';
import { createClockTool } from './clock.js';
import { createKnowledgeSearchTool } from './knowledge-search.js';

/** Every tool the agent may call. */
export function createTools(options: { now?: () => Date; knowledge?: KnowledgeIndex | undefined } = {}) {
  return [
    createCalculatorTool(),
    createClockTool(options.now),
    // Only when the operator configured a docs folder (AGENT_DOCS_DIR).
    ...(options.knowledge ? [createKnowledgeSearchTool(options.knowledge)] : []),
  ];
}
