import { type Authorizer, createAuthorizer } from '@mcp-langgraph/authz';
import { edgeConfigSchema, parseConfig } from '@mcp-langgraph/config';
import { createLogger, createMetrics, listen, type Metrics } from '@mcp-langgraph/observability';
import type { RateLimiter } from '@mcp-langgraph/ratelimit';
import type { TokenVerifier } from '@mcp-langgraph/resource-server';
import { startTestIssuer, type TestIssuer } from '@mcp-langgraph/resource-server/testing';
import { createEdgeService } from '../service.js';
import type { Identify, ToolDeps } from '../tools/tool-call-gate.js';
import { type FakeAgent, type FakeTokenEndpoint, startFakeAgent, startFakeTokenEndpoint } from './fakes.js';

/** The public URL the edge believes it has; tokens are minted for `${PUBLIC_URL}/mcp`. */
export const PUBLIC_URL = 'http://localhost:4000';
export const MCP_RESOURCE = `${PUBLIC_URL}/mcp`;
export const AGENT_AUDIENCE = 'http://localhost:4002';
const CLIENT_ID = 'mcp-edge';
/** A machine client the fake token endpoint grants client_credentials tokens to. */
export const MACHINE_CLIENT = { id: 'nightly-report', secret: 'nightly-report-secret-0123' };
const CLIENT_SECRET = 'edge-test-secret-0123456789';
/** How often the edge polls the fake's revocation feed: the shortest the configuration allows. */
export const REVOCATION_POLL_MS = 1000;

export interface EdgeUnderTest {
  /** Where the edge listens, e.g. `http://127.0.0.1:40123`. */
  url: string;
  mcpUrl: string;
  issuer: TestIssuer;
  agent: FakeAgent;
  tokenEndpoint: FakeTokenEndpoint;
  authorizer: Authorizer;
  limiter: RateLimiter;
  metrics: Metrics;
  /** A valid user token for the edge; `claims` override the defaults. */
  token(claims?: Record<string, unknown>): string;
  /** The verifier the HTTP guard uses, for entry points that verify tokens themselves (stdio). */
  verifier: TokenVerifier;
  /** Tool dependencies wired to the same agent, exchanger and authorizer, with another caller source. */
  toolDeps(identify: Identify): ToolDeps;
  close(): Promise<void>;
}

/**
 * The edge as production builds it (`createEdgeService` from a parsed configuration: real
 * verifier and revocation feed, token exchanger, agent client, seeded authorization engine) in
 * front of a fake agent and a fake auth service, with an in-memory authorization store and the
 * tool-call limits a test asks for.
 */
export async function startEdge(
  options: {
    allowedOrigins?: string[];
    toolCallsPerMinute?: number;
    /** How long the revocation feed may go unrefreshed before old tokens are refused. */
    revocationMaxStalenessMs?: number;
    /** Another upstream instead of the fake agent (for the `/agent` proxy). */
    agentUrl?: string;
  } = {},
): Promise<EdgeUnderTest> {
  const issuer = await startTestIssuer({ audience: MCP_RESOURCE });
  const agent = await startFakeAgent({ audience: AGENT_AUDIENCE });
  const tokenEndpoint = await startFakeTokenEndpoint({
    issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    agentAudience: AGENT_AUDIENCE,
    machineClients: { [MACHINE_CLIENT.id]: MACHINE_CLIENT.secret },
  });
  const config = parseConfig(edgeConfigSchema, {
    APP_ENV: 'test',
    LOG_LEVEL: 'silent',
    BIND_HOST: '127.0.0.1',
    EDGE_PUBLIC_URL: PUBLIC_URL,
    AUTH_ISSUER: issuer.issuer,
    AUTH_INTERNAL_URL: tokenEndpoint.baseUrl,
    AUTH_JWKS_URL: issuer.jwksUrl,
    AGENT_URL: options.agentUrl ?? agent.url,
    AGENT_PUBLIC_URL: AGENT_AUDIENCE,
    AGENT_TIMEOUT_MS: '10000',
    EDGE_CLIENT_ID: CLIENT_ID,
    EDGE_CLIENT_SECRET: CLIENT_SECRET,
    MCP_ALLOWED_ORIGINS: (options.allowedOrigins ?? []).join(','),
    REVOCATION_POLL_MS: String(REVOCATION_POLL_MS),
    REVOCATION_MAX_STALENESS_MS: options.revocationMaxStalenessMs?.toString(),
  });
  const metrics = createMetrics('mcp-edge', { defaultMetrics: false });
  // Limits past what the configuration accepts (benchmarks ask for a million a minute).
  const perMinute = options.toolCallsPerMinute ?? 1000;
  const service = await createEdgeService(config, {
    logger: createLogger({ service: 'mcp-edge', level: 'silent' }),
    metrics,
    authorizer: await createAuthorizer({ sqlitePath: ':memory:', registry: metrics.registry }),
    rateLimit: {
      rules: {
        free: { limit: perMinute, windowMs: 60_000 },
        premium: { limit: perMinute * 2, windowMs: 60_000 },
        enterprise: { limit: perMinute * 4, windowMs: 60_000 },
      },
    },
  });
  const { tools, verifier } = service.parts;
  const server = await listen(service.app, 0, '127.0.0.1');
  const url = `http://127.0.0.1:${server.port}`;
  return {
    url,
    mcpUrl: `${url}/mcp`,
    issuer,
    agent,
    tokenEndpoint,
    authorizer: tools.authorizer,
    limiter: tools.rateLimit.limiter,
    metrics,
    token: (claims) => issuer.sign(claims),
    verifier,
    toolDeps: (identify) => ({ ...tools, identify }),
    async close() {
      await server.close();
      await service.close();
      await Promise.all([issuer.close(), agent.close(), tokenEndpoint.close()]);
    },
  };
}
