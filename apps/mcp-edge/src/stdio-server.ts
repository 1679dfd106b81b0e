import { type StdioServerHandle, serveStdio } from '@modelcontextprotocol/server/stdio';
import { buildMcpServer } from './mcp.js';
import type { ToolDeps } from './tools/tool-call-gate.js';

type Transport = NonNullable<Parameters<typeof serveStdio>[1]>['transport'];

/**
 * The same tools over stdio, for MCP clients that launch the edge as a local process. One
 * server instance serves the connection; the caller comes from `deps.identify` (configured
 * credentials) because there is no HTTP request to carry a bearer token.
 */
export function serveEdgeStdio(deps: ToolDeps, transport?: Transport): StdioServerHandle {
  return serveStdio(() => buildMcpServer(deps), {
    ...(transport ? { transport } : {}),
    onerror: (err) => deps.logger.warn({ err: err.message }, 'stdio connection error'),
  });
}
