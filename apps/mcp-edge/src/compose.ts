import {
  type Authorizer,
  authorizerOptionsFromConfig,
  createAuthorizer,
  seedTuples,
} from '@mcp-langgraph/authz';
import type { EdgeConfig } from '@mcp-langgraph/config';
import type { Logger } from '@mcp-langgraph/observability';
import { createMemoryRateLimiter, createRedisRateLimiter } from '@mcp-langgraph/ratelimit';
import {
  createJwksClient,
  createRevocationFeed,
  createTokenExchanger,
  createTokenVerifier,
  type TokenExchanger,
  type TokenVerifier,
} from '@mcp-langgraph/resource-server';
import type { Registry } from 'prom-client';
import { type AgentClient, createAgentClient } from './agent-client.js';
import type { ToolRateLimit } from './tools/run.js';

/** The parts both entry points (HTTP and stdio) build from the configuration. */
export interface EdgeParts {
  publicUrl: string;
  mcpUrl: string;
  /** Where the edge reaches the authorization server (internal address when configured). */
  authBase: string;
  jwksUrl: string;
  verifier: TokenVerifier;
  exchanger: TokenExchanger;
  authorizer: Authorizer;
  rateLimit: ToolRateLimit;
  agent: AgentClient;
  /** Releases the stores (authorization, rate limits). */
  close(): Promise<void>;
}

/**
 * Token verification (JWKS of the authorization server), token exchange for the agent, the
 * authorization engine (OpenFGA, PostgreSQL or the SQLite file shared with the agent, as
 * configured; seeded with the tool grants; `authz_*` metrics on `registry`), the per-user tool
 * rate limits (Redis when configured, else in memory) and the agent client.
 */
export async function createEdgeParts(
  config: EdgeConfig,
  registry: Registry,
  logger?: Logger,
): Promise<EdgeParts> {
  const publicUrl = config.EDGE_PUBLIC_URL.replace(/\/$/, '');
  const authBase = (config.AUTH_INTERNAL_URL ?? config.AUTH_ISSUER).replace(/\/$/, '');
  const jwksUrl = config.AUTH_JWKS_URL ?? `${authBase}/.well-known/jwks.json`;
  // OpenFGA, PostgreSQL, or the SQLite file the agent writes conversation tuples to.
  const authorizer = await createAuthorizer({ ...authorizerOptionsFromConfig(config), registry });
  await seedTuples(authorizer);
  const limiter = config.REDIS_URL
    ? createRedisRateLimiter({ url: config.REDIS_URL, prefix: 'mcp-edge:' })
    : createMemoryRateLimiter();
  // Revoked tokens and disabled users are refused within one interval, not at token expiry.
  const revocations = createRevocationFeed({
    url: `${authBase}/revocations`,
    clientId: config.EDGE_CLIENT_ID,
    clientSecret: config.EDGE_CLIENT_SECRET,
    intervalMs: config.REVOCATION_POLL_MS,
    onError: (err) =>
      logger?.warn({ err: err.message }, 'revocation feed not refreshed; keeping the last list'),
  });
  await revocations
    .refresh()
    .catch((err: Error) =>
      logger?.warn({ err: err.message }, 'revocation feed unavailable at start; retrying in the background'),
    );
  revocations.start();
  return {
    publicUrl,
    mcpUrl: `${publicUrl}/mcp`,
    authBase,
    jwksUrl,
    verifier: createTokenVerifier({
      issuer: config.AUTH_ISSUER,
      audiences: [`${publicUrl}/mcp`, publicUrl],
      jwks: createJwksClient({ jwksUrl }),
      isRevoked: revocations.isRevoked,
    }),
    exchanger: createTokenExchanger({
      tokenEndpoint: `${authBase}/token`,
      clientId: config.EDGE_CLIENT_ID,
      clientSecret: config.EDGE_CLIENT_SECRET,
      resource: config.AGENT_PUBLIC_URL,
    }),
    authorizer,
    rateLimit: {
      limiter,
      rules: {
        free: { limit: config.MCP_TOOL_RATE_LIMIT, windowMs: 60_000 },
        premium: { limit: config.MCP_TOOL_RATE_LIMIT_PREMIUM, windowMs: 60_000 },
        enterprise: { limit: config.MCP_TOOL_RATE_LIMIT_ENTERPRISE, windowMs: 60_000 },
      },
    },
    agent: createAgentClient({ baseUrl: config.AGENT_URL, timeoutMs: config.AGENT_TIMEOUT_MS }),
    async close() {
      revocations.stop();
      await Promise.allSettled([authorizer.close(), limiter.close()]);
    },
  };
}
