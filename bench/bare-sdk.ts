/**
 * The peer baseline for the edge benchmark: the official MCP server SDK on bare `node:http`, with
 * the edge's own tool definitions (names, schemas, annotations) and no authentication,
 * authorization, rate limits or agent: each tool answers a recorded result. Served the way the
 * edge serves (stateless, a fresh server per exchange), so the difference is what the edge adds.
 */
import { createServer } from 'node:http';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { type CallToolResult, createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { SERVER_INFO } from '../apps/mcp-edge/src/mcp.js';
import { TOOLS } from '../apps/mcp-edge/src/tools/index.js';

export interface BareSdkServer {
  url: string;
  close(): Promise<void>;
}

export async function startBareSdkServer(answers: Record<string, CallToolResult>): Promise<BareSdkServer> {
  const build = () => {
    const server = new McpServer(SERVER_INFO, { capabilities: { tools: { listChanged: false } } });
    for (const tool of TOOLS) {
      const answer = answers[tool.name] ?? { content: [{ type: 'text' as const, text: 'ok' }] };
      server.registerTool(
        tool.name,
        {
          title: tool.title,
          description: tool.description,
          inputSchema: tool.input,
          outputSchema: tool.output,
          annotations: tool.annotations,
        },
        async () => answer,
      );
    }
    return server;
  };
  const node = toNodeHandler(createMcpHandler(build, { legacy: 'stateless' }));
  const server = createServer((req, res) => {
    void node(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
