import { apiClient } from './client.js';
import { type Harness, type HarnessOptions, startAgent } from './harness.js';

/**
 * One agent for the enclosing `describe` (or file): started in `beforeAll`, closed in `afterAll`.
 * Returns the running harness as `agent()` and the HTTP helpers bound to it.
 */
export function useAgent(options: HarnessOptions = {}) {
  let running: Harness | undefined;
  beforeAll(async () => {
    running = await startAgent(options);
  });
  afterAll(async () => {
    await running?.close();
  });
  const agent = (): Harness => {
    if (!running) throw new Error('the agent has not started (useAgent runs it in beforeAll)');
    return running;
  };
  return { agent, ...apiClient(agent) };
}
