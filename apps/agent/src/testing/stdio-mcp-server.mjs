// A real MCP server over stdio (SDK v2) for the agent's downstream tests: one tool, `echo`, which
// also reports STDIO_GREETING, so a test sees the environment the agent gave the process.
import { McpServer } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';

const server = new McpServer({ name: 'stdio-test', version: '1.0.0' }, { capabilities: { tools: {} } });
server.registerTool(
  'echo',
  { description: 'Echoes the text.', inputSchema: z.object({ text: z.string() }) },
  async ({ text }) => ({
    content: [
      {
        type: 'text',
        text: `echo: ${text} (${process.env.STDIO_GREETING ?? 'no greeting'}, ${process.env.AGENT_SECRET_PROBE ?? 'no secret'})`,
      },
    ],
  }),
);
await server.connect(new StdioServerTransport());
