import type { EdgeConfig } from '@mcp-langgraph/config';
import { type Metrics, type Probe, type RunnableService, serviceBase } from '@mcp-langgraph/observability';
import bytes from 'bytes';
import { agentProxy } from './agent-proxy.js';
import { createApp } from './app.js';
import { createEdgeParts, type EdgeOverrides, type EdgeParts, edgeSecrets } from './parts.js';
import { agentProbe } from './resilience/agent-probe.js';

export interface EdgeService extends RunnableService {
  metrics: Metrics;
  parts: EdgeParts;
}

/** Readiness: the authorization store, the rate-limit store, the authorization server's keys, the agent. */
function probesFor(parts: EdgeParts, agentUrl: string): Probe[] {
  return [
    agentProbe(agentUrl, parts.agentBreaker),
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
  const secrets = edgeSecrets(config);
  const base = serviceBase('mcp-edge', config, config.EDGE_PORT, {
    ...overrides,
    gatewaySecret: () => secrets.gateway.accepted(),
  });
  const { logger, metrics } = base;
  const parts = await createEdgeParts(config, { ...overrides, logger, metrics, secrets });
  const { app, ops, close } = createApp({
    base,
    verifier: parts.verifier,
    tools: parts.tools,
    agentApi: agentProxy({
      agentUrl: config.AGENT_URL,
      exchanger: parts.tools.exchanger,
      timeoutMs: config.AGENT_TIMEOUT_MS,
      maxBodyBytes: bytes.parse(config.BODY_LIMIT) ?? 100 * 1024,
      logger,
    }),
    publicUrl: parts.publicUrl,
    issuer: config.AUTH_ISSUER,
    bindHost: config.BIND_HOST,
    allowedHosts: config.MCP_ALLOWED_HOSTS,
    allowedOrigins: config.MCP_ALLOWED_ORIGINS,
    allowInsecureIssuer: config.APP_ENV !== 'production',
    probes: probesFor(parts, config.AGENT_URL),
  });
  return {
    app,
    ops,
    listen: base.listen,
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
