import { chat } from './chat.js';
import type { ToolDefinition } from './definition.js';
import { deleteConversation } from './delete-conversation.js';
import { getConversation } from './get-conversation.js';
import { listConversations } from './list-conversations.js';
import { shareConversation } from './share-conversation.js';

/**
 * Every tool the edge serves. A new tool is its own file plus one entry here: the MCP server
 * registers these, and their names are seeded as `executor` grants at start.
 */
export const TOOLS: readonly ToolDefinition[] = [
  chat,
  getConversation,
  listConversations,
  shareConversation,
  deleteConversation,
];
