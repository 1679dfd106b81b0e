import { ConfigError, edgeConfigSchema, loadLiveServiceConfig } from '@mcp-langgraph/config';
import { createLogger, createMetrics } from '@mcp-langgraph/observability';
import { DEFAULT_SCOPES, formatScope, SCOPE } from '@mcp-langgraph/protocol';
import { clientCredentialsTokenSource, staticTokenSource, tokenSourceIdentity } from './identity.js';
import { createEdgeParts } from './parts.js';
import { serveEdgeStdio } from './stdio-server.js';

/**
 * stdio entry point: an MCP client starts this process and speaks MCP on stdin/stdout. The caller
 * is given by configuration: `MCP_STDIO_ACCESS_TOKEN` (a user's access token for the edge), or
 * `MCP_STDIO_CLIENT_ID` + `MCP_STDIO_CLIENT_SECRET` (a machine client, tokens fetched as needed).
 * Logs go to stderr; stdout carries only protocol messages. Secrets follow the secret manager as
 * in the HTTP edge (the token exchange's client secret, the gateway header); the stdio caller's
 * own credentials take effect when the client starts the process again.
 */
async function main(): Promise<void> {
  const live = await loadLiveServiceConfig(edgeConfigSchema, process.env);
  const config = live.initial;
  const logger = createLogger({
    service: 'mcp-edge-stdio',
    level: config.LOG_LEVEL,
    destination: process.stderr,
  });
  const metrics = createMetrics('mcp-edge', { defaultMetrics: false });
  const parts = await createEdgeParts(config, { logger, metrics, live });

  const source = config.MCP_STDIO_ACCESS_TOKEN
    ? staticTokenSource(config.MCP_STDIO_ACCESS_TOKEN)
    : config.MCP_STDIO_CLIENT_ID && config.MCP_STDIO_CLIENT_SECRET
      ? clientCredentialsTokenSource({
          tokenEndpoint: parts.endpoints.token,
          clientId: config.MCP_STDIO_CLIENT_ID,
          clientSecret: config.MCP_STDIO_CLIENT_SECRET,
          resource: parts.mcpUrl,
          scope: formatScope(DEFAULT_SCOPES),
        })
      : undefined;
  if (!source)
    throw new ConfigError([
      'set MCP_STDIO_ACCESS_TOKEN, or MCP_STDIO_CLIENT_ID and MCP_STDIO_CLIENT_SECRET, to say who calls the tools',
    ]);

  const handle = serveEdgeStdio({
    ...parts.tools,
    identify: tokenSourceIdentity(source, parts.verifier, [SCOPE.tools]),
  });
  const stop = async () => {
    live.close();
    await handle.close();
    await parts.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  process.stdin.once('end', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(
    `mcp-edge (stdio) failed to start: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
