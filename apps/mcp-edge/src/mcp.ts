import { createMcpHandler, type McpHttpHandler, McpServer } from '@modelcontextprotocol/server';
import type { RequestHandler } from 'express';
import { disconnectSignal, sendWebResponse, toWebRequest } from './http-bridge.js';
import { registerChat } from './tools/chat.js';
import { registerGetConversation } from './tools/get-conversation.js';
import { registerListConversations } from './tools/list-conversations.js';
import type { ToolDeps } from './tools/run.js';

export const SERVER_INFO = { name: 'mcp-langgraph', version: '0.1.0' } as const;

const INSTRUCTIONS =
  'An assistant with durable conversations. Use chat to talk to it (keep the returned thread_id to continue), ' +
  'list_conversations to find earlier conversations and get_conversation to read one.';

/** One MCP server instance with the three tools; cheap to build (the handlers close over `deps`). */
export function buildMcpServer(deps: ToolDeps): McpServer {
  const server = new McpServer(SERVER_INFO, {
    capabilities: { tools: { listChanged: false } },
    instructions: INSTRUCTIONS,
  });
  registerChat(server, deps);
  registerGetConversation(server, deps);
  registerListConversations(server, deps);
  return server;
}

/**
 * Streamable HTTP without sessions: the SDK's handler serves the 2026-07-28 revision per request
 * and the 2025 revisions through its stateless fallback, so any replica can answer any request
 * and every request is authenticated on its own. It needs a fresh server object per exchange
 * (an instance serves one exchange at a time); the tool definitions and dependencies are shared.
 */
export function createMcpEndpoint(deps: ToolDeps): { handle: RequestHandler; handler: McpHttpHandler } {
  const handler = createMcpHandler(() => buildMcpServer(deps), {
    legacy: 'stateless',
    onerror: (err) => deps.logger.debug({ err: err.message }, 'mcp request rejected'),
  });
  const handle: RequestHandler = async (req, res, next) => {
    try {
      const request = toWebRequest(req, disconnectSignal(res));
      const response = await handler.fetch(request, {
        ...(req.auth ? { authInfo: req.auth } : {}),
        ...(req.method === 'POST' && req.body !== undefined ? { parsedBody: req.body } : {}),
      });
      await sendWebResponse(res, response);
    } catch (err) {
      next(err);
    }
  };
  return { handle, handler };
}
