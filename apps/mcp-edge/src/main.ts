import { join } from 'node:path';
import { createAuthorizer, seedTuples } from '@mcp-langgraph/authz';
import {
  createEnvSecretProvider,
  edgeConfigSchema,
  parseConfig,
  readEnvironment,
  resolveSecrets,
  SECRET_NAMES,
} from '@mcp-langgraph/config';
import { createLogger, createMetrics, listen, onShutdown } from '@mcp-langgraph/observability';
import { createJwksClient, createTokenExchanger, createTokenVerifier } from '@mcp-langgraph/resource-server';
import { createAgentClient } from './agent-client.js';
import { createApp } from './app.js';

async function main(): Promise<void> {
  const env = readEnvironment(process.env);
  const config = parseConfig(
    edgeConfigSchema,
    await resolveSecrets(env, createEnvSecretProvider(env), SECRET_NAMES),
  );
  const logger = createLogger({ service: 'mcp-edge', level: config.LOG_LEVEL });
  const metrics = createMetrics('mcp-edge');

  const publicUrl = config.EDGE_PUBLIC_URL.replace(/\/$/, '');
  const authBase = (config.AUTH_INTERNAL_URL ?? config.AUTH_ISSUER).replace(/\/$/, '');
  const jwksUrl = config.AUTH_JWKS_URL ?? `${authBase}/.well-known/jwks.json`;
  const verifier = createTokenVerifier({
    issuer: config.AUTH_ISSUER,
    audiences: [`${publicUrl}/mcp`, publicUrl],
    jwks: createJwksClient({ jwksUrl }),
  });
  const exchanger = createTokenExchanger({
    tokenEndpoint: `${authBase}/token`,
    clientId: config.EDGE_CLIENT_ID,
    clientSecret: config.EDGE_CLIENT_SECRET,
    resource: config.AGENT_PUBLIC_URL,
  });

  const databaseUrl = config.AUTHZ_DATABASE_URL ?? config.DATABASE_URL;
  const authorizer = await createAuthorizer(
    databaseUrl ? { databaseUrl } : { sqlitePath: join(config.DATA_DIR, 'authz.db') },
  );
  await seedTuples(authorizer);

  const agent = createAgentClient({ baseUrl: config.AGENT_URL, timeoutMs: config.AGENT_TIMEOUT_MS });
  const { app, close: closeMcp } = createApp({
    logger,
    metrics,
    verifier,
    exchanger,
    authorizer,
    agent,
    publicUrl,
    issuer: config.AUTH_ISSUER,
    bindHost: config.BIND_HOST,
    allowedHosts: config.MCP_ALLOWED_HOSTS,
    allowedOrigins: config.MCP_ALLOWED_ORIGINS,
    corsOrigins: config.CORS_ORIGINS,
    bodyLimit: config.BODY_LIMIT,
    trustProxy: config.TRUST_PROXY,
    allowInsecureIssuer: config.APP_ENV !== 'production',
    probes: [
      { name: 'authz', check: () => authorizer.ping() },
      {
        name: 'jwks',
        check: async () => {
          const res = await fetch(jwksUrl, { signal: AbortSignal.timeout(2000) });
          if (!res.ok) throw new Error(`JWKS answered ${res.status}`);
        },
      },
    ],
  });

  const server = await listen(app, config.EDGE_PORT, config.BIND_HOST);
  if (config.MCP_ALLOWED_HOSTS.length === 0 && !['127.0.0.1', 'localhost', '::1'].includes(config.BIND_HOST))
    logger.warn(
      { bind: config.BIND_HOST },
      'MCP_ALLOWED_HOSTS is empty on a non-loopback bind: Host headers are not checked',
    );
  logger.info({ port: server.port, mcp: `${publicUrl}/mcp` }, 'mcp-edge listening');

  onShutdown(logger, async () => {
    await server.close();
    await closeMcp();
    await authorizer.close();
  });
}

main().catch((err: unknown) => {
  // The logger may not exist yet (bad configuration); stderr is the one channel left.
  process.stderr.write(`mcp-edge failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
