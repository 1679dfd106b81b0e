import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, type McpHttpHandler, McpServer } from '@modelcontextprotocol/server';
import bytes from 'bytes';
import type { RequestHandler } from 'express';
import { TOOLS } from './tools/index.js';
import { gateToolCall, type ToolDeps } from './tools/tool-call-gate.js';

export const SERVER_INFO = { name: 'mcp-langgraph', version: '0.1.0' } as const;

const INSTRUCTIONS =
  'An assistant with durable conversations. Use chat to talk to it (keep the returned thread_id to continue), ' +
  'list_conversations to find earlier conversations and get_conversation to read one.';

/**
 * One MCP server instance with every tool of the registry, each behind the tool-call gate;
 * cheap to build (the definitions and `deps` are shared).
 */
export function buildMcpServer(deps: ToolDeps): McpServer {
  const server = new McpServer(SERVER_INFO, {
    capabilities: { tools: { listChanged: false } },
    instructions: INSTRUCTIONS,
  });
  for (const tool of TOOLS) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        outputSchema: tool.output,
        annotations: tool.annotations,
      },
      (args, ctx) => gateToolCall(deps, tool, ctx, (call) => tool.run(args, call, deps)),
    );
  }
  return server;
}

/**
 * Streamable HTTP without sessions: the SDK's handler serves the 2026-07-28 revision per request
 * and the 2025 revisions through its stateless fallback, so any replica can answer any request
 * and every request is authenticated on its own. It needs a fresh server object per exchange
 * (an instance serves one exchange at a time). The SDK's Node adapter carries the exchange
 * across: `req.auth` becomes the handler's auth info, express.json()'s result its parsed body,
 * and a client that goes away aborts the request (and so the tool call's signal).
 */
export function createMcpEndpoint(
  deps: ToolDeps,
  options: { bodyLimit: string },
): { handle: RequestHandler; handler: McpHttpHandler } {
  const handler = createMcpHandler(() => buildMcpServer(deps), {
    legacy: 'stateless',
    onerror: (err) => deps.logger.debug({ err: err.message }, 'mcp request rejected'),
  });
  const node = toNodeHandler(handler, {
    // A body express.json() left alone (not JSON) is read by the adapter: hold it to the same limit.
    maxRequestBodySize: bytes.parse(options.bodyLimit) ?? undefined,
    onerror: (err) => deps.logger.error({ err: err.message }, 'mcp request failed'),
  });
  const handle: RequestHandler = (req, res) => node(req, res, req.body);
  return { handle, handler };
}
