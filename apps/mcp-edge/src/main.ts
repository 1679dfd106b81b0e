import { edgeConfigSchema, loadServiceConfig } from '@mcp-langgraph/config';
import { createLogger, createMetrics, listen, onShutdown } from '@mcp-langgraph/observability';
import { createApp } from './app.js';
import { createEdgeParts } from './compose.js';

const LOOPBACK = ['127.0.0.1', 'localhost', '::1'];

async function main(): Promise<void> {
  const config = await loadServiceConfig(edgeConfigSchema, process.env);
  const logger = createLogger({ service: 'mcp-edge', level: config.LOG_LEVEL });
  const metrics = createMetrics('mcp-edge');
  const parts = await createEdgeParts(config, metrics.registry, logger);

  const { app, close: closeMcp } = createApp({
    logger,
    metrics,
    verifier: parts.verifier,
    exchanger: parts.exchanger,
    authorizer: parts.authorizer,
    rateLimit: parts.rateLimit,
    agent: parts.agent,
    publicUrl: parts.publicUrl,
    issuer: config.AUTH_ISSUER,
    bindHost: config.BIND_HOST,
    allowedHosts: config.MCP_ALLOWED_HOSTS,
    allowedOrigins: config.MCP_ALLOWED_ORIGINS,
    corsOrigins: config.CORS_ORIGINS,
    bodyLimit: config.BODY_LIMIT,
    trustProxy: config.TRUST_PROXY,
    allowInsecureIssuer: config.APP_ENV !== 'production',
    probes: [
      { name: 'authz', check: () => parts.authorizer.ping() },
      { name: 'ratelimit', check: () => parts.rateLimit.limiter.ping() },
      {
        name: 'jwks',
        check: async () => {
          const res = await fetch(parts.jwksUrl, { signal: AbortSignal.timeout(2000) });
          if (!res.ok) throw new Error(`JWKS answered ${res.status}`);
        },
      },
    ],
  });

  const server = await listen(app, config.EDGE_PORT, config.BIND_HOST);
  if (config.MCP_ALLOWED_HOSTS.length === 0 && !LOOPBACK.includes(config.BIND_HOST))
    logger.warn(
      { bind: config.BIND_HOST },
      'MCP_ALLOWED_HOSTS is empty on a non-loopback bind: Host headers are not checked',
    );
  logger.info({ port: server.port, mcp: parts.mcpUrl }, 'mcp-edge listening');

  onShutdown(logger, async () => {
    await server.close();
    await closeMcp();
    await parts.close();
  });
}

main().catch((err: unknown) => {
  // The logger may not exist yet (bad configuration); stderr is the one channel left.
  process.stderr.write(`mcp-edge failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
