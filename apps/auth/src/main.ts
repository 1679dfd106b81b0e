import { authConfigSchema, loadServiceConfig } from '@mcp-langgraph/config';
import { createLogger, createMetrics, listen, onShutdown } from '@mcp-langgraph/observability';
import { createApp } from './app.js';
import { createAuthRuntime } from './runtime.js';

async function main(): Promise<void> {
  const config = await loadServiceConfig(authConfigSchema, process.env);
  const logger = createLogger({ service: 'auth', level: config.LOG_LEVEL });
  const metrics = createMetrics('auth');
  const runtime = await createAuthRuntime({ config, logger, registry: metrics.registry });
  runtime.startMaintenance();
  const app = createApp({
    context: runtime.context,
    logger,
    metrics,
    corsOrigins: config.CORS_ORIGINS,
    bodyLimit: config.BODY_LIMIT,
    trustProxy: config.TRUST_PROXY,
    probes: [{ name: 'database', check: () => runtime.database.ping() }],
  });
  const server = await listen(app, config.AUTH_PORT, config.BIND_HOST);
  logger.info(
    {
      port: server.port,
      host: config.BIND_HOST,
      issuer: runtime.context.settings.issuer,
      store: runtime.database.dialect,
    },
    'auth service listening',
  );
  onShutdown(logger, async () => {
    await server.close();
    await runtime.close();
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`auth service failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
