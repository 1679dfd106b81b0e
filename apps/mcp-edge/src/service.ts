import type { EdgeConfig } from '@mcp-langgraph/config';
import {
  createLogger,
  createMetrics,
  type Logger,
  type Metrics,
  type Probe,
  type ServiceApp,
} from '@mcp-langgraph/observability';
import { createApp } from './app.js';
import { createEdgeParts, type EdgeOverrides, type EdgeParts } from './parts.js';

export interface EdgeService extends ServiceApp {
  logger: Logger;
  metrics: Metrics;
  parts: EdgeParts;
}

/** Readiness: the authorization store, the rate-limit store and the authorization server's keys. */
function probesFor(parts: EdgeParts): Probe[] {
  return [
    { name: 'authz', check: () => parts.tools.authorizer.ping() },
    { name: 'ratelimit', check: () => parts.tools.rateLimit.limiter.ping() },
    {
      name: 'jwks',
      check: async () => {
        const res = await fetch(parts.endpoints.jwks, { signal: AbortSignal.timeout(2000) });
        if (!res.ok) throw new Error(`JWKS answered ${res.status}`);
      },
    },
  ];
}

/**
 * The edge as a service, from its configuration: the parts (verifier, revocation feed, token
 * exchange, seeded authorizer, rate limits, agent client), the readiness probes and the app.
 * `main.ts` runs it; tests build it the same way with a few `overrides`.
 */
export async function createEdgeService(
  config: EdgeConfig,
  overrides: EdgeOverrides = {},
): Promise<EdgeService> {
  const logger = overrides.logger ?? createLogger({ service: 'mcp-edge', level: config.LOG_LEVEL });
  const metrics = overrides.metrics ?? createMetrics('mcp-edge');
  const parts = await createEdgeParts(config, { ...overrides, logger, metrics });
  const { app, close } = createApp({
    logger,
    metrics,
    verifier: parts.verifier,
    tools: parts.tools,
    publicUrl: parts.publicUrl,
    issuer: config.AUTH_ISSUER,
    bindHost: config.BIND_HOST,
    allowedHosts: config.MCP_ALLOWED_HOSTS,
    allowedOrigins: config.MCP_ALLOWED_ORIGINS,
    corsOrigins: config.CORS_ORIGINS,
    bodyLimit: config.BODY_LIMIT,
    trustProxy: config.TRUST_PROXY,
    allowInsecureIssuer: config.APP_ENV !== 'production',
    probes: probesFor(parts),
  });
  return {
    app,
    logger,
    metrics,
    parts,
    info: { mcp: parts.mcpUrl, ratelimit: config.REDIS_URL ? 'redis' : 'memory' },
    async close() {
      await close();
      await parts.close();
    },
  };
}
