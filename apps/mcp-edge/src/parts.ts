import {
  type Authorizer,
  authorizerOptionsFromConfig,
  createAuthorizer,
  seedTuples,
} from '@mcp-langgraph/authz';
import {
  type AuthServerEndpoints,
  authServerEndpoints,
  createLiveConfig,
  createRotatingSecret,
  type EdgeConfig,
  fetchWithClientSecret,
  followSecretRotations,
  type LiveConfig,
  type RotatingSecret,
  rotationOverlapMs,
} from '@mcp-langgraph/config';
import {
  fetchWithGatewaySecret,
  type Logger,
  type Metrics,
  secretRotationCounter,
} from '@mcp-langgraph/observability';
import { createMemoryRateLimiter, createRedisRateLimiter } from '@mcp-langgraph/ratelimit';
import {
  createTokenExchanger,
  startTokenVerification,
  type TokenVerifier,
} from '@mcp-langgraph/resource-server';
import { createAgentClient } from './agent-client.js';
import { createToolMetrics } from './metrics.js';
import { createAgentGuard } from './resilience/agent-guard.js';
import { type CircuitBreaker, createCircuitBreaker } from './resilience/circuit-breaker.js';
import { TOOLS } from './tools/index.js';
import type { ToolRateLimit, ToolServices } from './tools/tool-call-gate.js';

/** What tests (and other embedders) may supply instead of what the configuration would build. */
export interface EdgeOverrides {
  logger?: Logger;
  metrics?: Metrics;
  /** Replaces the configured engine (tests use in-memory SQLite); the edge still seeds and closes it. */
  authorizer?: Authorizer;
  /** Replaces the limiter (closed by the edge) or the per-tier rules the configuration gives. */
  rateLimit?: Partial<ToolRateLimit>;
  /**
   * The configuration as it follows the secret manager (`loadLiveServiceConfig`): a rotated
   * GATEWAY_SECRET or EDGE_CLIENT_SECRET is used without a restart. Unset, it never changes.
   */
  live?: LiveConfig<EdgeConfig> | undefined;
}

/** The edge's secrets that rotate while it runs: what it checks and sends as the gateway's, and its client secret. */
export interface EdgeSecrets {
  gateway: RotatingSecret;
  client: RotatingSecret;
}

export function edgeSecrets(config: EdgeConfig): EdgeSecrets {
  const options = { overlapMs: rotationOverlapMs(config) };
  return {
    gateway: createRotatingSecret('GATEWAY_SECRET', config.GATEWAY_SECRET, options),
    client: createRotatingSecret('EDGE_CLIENT_SECRET', config.EDGE_CLIENT_SECRET, options),
  };
}

/** The parts both entry points (HTTP and stdio) build from the configuration. */
export interface EdgeParts {
  publicUrl: string;
  mcpUrl: string;
  /** Where the edge reaches the authorization server (internal address when configured). */
  endpoints: AuthServerEndpoints;
  verifier: TokenVerifier;
  /** What the tools run on: authorizer, rate limits, agent client, token exchange, telemetry. */
  tools: ToolServices;
  /** The circuit breaker in front of the agent (readiness reports it). */
  agentBreaker: CircuitBreaker;
  secrets: EdgeSecrets;
  /** Resolves once every rotation announced so far has been applied (or refused). */
  rotationsSettled(): Promise<void>;
  /** Releases the stores (authorization, rate limits) and stops the revocation feed. */
  close(): Promise<void>;
}

const MINUTE = 60_000;

/**
 * Token verification (JWKS of the authorization server, revocations polled from its feed), token
 * exchange for the agent, the authorization engine (OpenFGA, PostgreSQL or the SQLite file shared
 * with the agent, as configured; seeded with the grants for every tool of the registry), the
 * per-user tool rate limits (Redis when configured, else in memory) and the agent client.
 */
export async function createEdgeParts(
  config: EdgeConfig,
  deps: { logger: Logger; metrics: Metrics; secrets?: EdgeSecrets } & Omit<
    EdgeOverrides,
    'logger' | 'metrics'
  >,
): Promise<EdgeParts> {
  const { logger, metrics } = deps;
  const secrets = deps.secrets ?? edgeSecrets(config);
  // The client credentials and the gateway header are built from the current values per request.
  const withClientSecret = (base?: typeof fetch) =>
    fetchWithClientSecret(config.EDGE_CLIENT_ID, () => secrets.client.accepted(), base);
  const publicUrl = config.EDGE_PUBLIC_URL;
  const mcpUrl = `${publicUrl}/mcp`;
  const endpoints = authServerEndpoints(config);
  const authorizer =
    deps.authorizer ??
    (await createAuthorizer({ ...authorizerOptionsFromConfig(config), registry: metrics.registry }));
  await seedTuples(
    authorizer,
    TOOLS.map((t) => t.name),
  );
  const limiter =
    deps.rateLimit?.limiter ??
    (config.REDIS_URL
      ? createRedisRateLimiter({ url: config.REDIS_URL, prefix: 'mcp-edge:' })
      : createMemoryRateLimiter());
  const rules = deps.rateLimit?.rules ?? {
    free: { limit: config.MCP_TOOL_RATE_LIMIT, windowMs: MINUTE },
    premium: { limit: config.MCP_TOOL_RATE_LIMIT_PREMIUM, windowMs: MINUTE },
    enterprise: { limit: config.MCP_TOOL_RATE_LIMIT_ENTERPRISE, windowMs: MINUTE },
  };
  // Revoked tokens and disabled users are refused within one interval, not at token expiry.
  const tokens = await startTokenVerification({
    issuer: config.AUTH_ISSUER,
    audiences: [mcpUrl, publicUrl],
    endpoints,
    client: { id: config.EDGE_CLIENT_ID, secret: config.EDGE_CLIENT_SECRET },
    pollMs: config.REVOCATION_POLL_MS,
    maxStalenessMs: config.REVOCATION_MAX_STALENESS_MS,
    clockToleranceSec: config.AUTH_CLOCK_TOLERANCE_SECONDS,
    logger,
    registry: metrics.registry,
    fetch: withClientSecret(),
  });
  const agentBreaker = createCircuitBreaker({
    failureThreshold: config.AGENT_BREAKER_FAILURES,
    openMs: config.AGENT_BREAKER_OPEN_MS,
  });
  const guard = createAgentGuard({ breaker: agentBreaker, retries: config.AGENT_RETRIES });
  // The stores' URLs and tokens, and the stdio credentials, take effect at the next restart.
  const rotations = followSecretRotations(deps.live ?? createLiveConfig(config), {
    logger,
    count: secretRotationCounter(metrics.registry),
    apply: {
      GATEWAY_SECRET: (c) => secrets.gateway.rotate(c.GATEWAY_SECRET),
      EDGE_CLIENT_SECRET: (c) => secrets.client.rotate(c.EDGE_CLIENT_SECRET),
    },
  });
  return {
    publicUrl,
    mcpUrl,
    endpoints,
    agentBreaker,
    verifier: tokens.verifier,
    tools: {
      authorizer,
      rateLimit: { limiter, rules },
      agent: createAgentClient({ baseUrl: config.AGENT_URL, timeoutMs: config.AGENT_TIMEOUT_MS, guard }),
      exchanger: createTokenExchanger({
        tokenEndpoint: endpoints.token,
        clientId: config.EDGE_CLIENT_ID,
        clientSecret: config.EDGE_CLIENT_SECRET,
        resource: config.AGENT_PUBLIC_URL,
        // A hung authorization server fails the call in seconds, not at the agent's timeout.
        timeoutMs: 5000,
        // Auth refuses requests without the gateway's secret when it is set; this one is internal.
        fetch: withClientSecret(fetchWithGatewaySecret(() => secrets.gateway.accepted())),
      }),
      logger,
      metrics: createToolMetrics(metrics),
    },
    secrets,
    rotationsSettled: rotations.settled,
    async close() {
      rotations.stop();
      tokens.stop();
      await Promise.allSettled([authorizer.close(), limiter.close()]);
    },
  };
}
