import type { KnowledgeIndex } from '../knowledge/index.js';
import { CALCULATOR_TOOL, createCalculatorTool } from './calculator.js';
import { CLOCK_TOOL, createClockTool } from './clock.js';
import { createKnowledgeSearchTool, KNOWLEDGE_SEARCH_TOOL } from './knowledge-search.js';
import { createWebSearchTool, WEB_SEARCH_TOOL, type WebSearchOptions } from './web-search.js';

/**
 * The built-in tools every signed-in user may call: the agent seeds `tool:<name>#executor@user:*`
 * for each at start (whether or not it is configured), as the edge does for its own tools.
 */
export const BUILTIN_TOOLS = [CALCULATOR_TOOL, CLOCK_TOOL, KNOWLEDGE_SEARCH_TOOL, WEB_SEARCH_TOOL] as const;

/** Every tool the agent may call. */
export function createTools(
  options: {
    now?: () => Date;
    knowledge?: KnowledgeIndex | undefined;
    /** `TAVILY_API_KEY` (and `TAVILY_BASE_URL`): adds `web_search`. */
    webSearch?: WebSearchOptions | undefined;
  } = {},
) {
  return [
    createCalculatorTool(),
    createClockTool(options.now),
    // Only when the operator configured a docs folder (AGENT_DOCS_DIR).
    ...(options.knowledge ? [createKnowledgeSearchTool(options.knowledge)] : []),
    ...(options.webSearch ? [createWebSearchTool(options.webSearch)] : []),
  ];
}
