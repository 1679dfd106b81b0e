import { type Authorizer, createAuthorizer, seedTuples } from '@mcp-langgraph/authz';
import { createLogger, createMetrics, listen, type Metrics } from '@mcp-langgraph/observability';
import { createMemoryRateLimiter, type RateLimiter } from '@mcp-langgraph/ratelimit';
import { createJwksClient, createTokenExchanger, createTokenVerifier } from '@mcp-langgraph/resource-server';
import { startTestIssuer, type TestIssuer } from '@mcp-langgraph/resource-server/testing';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/server';
import { createAgentClient } from '../agent-client.js';
import { createApp } from '../app.js';
import { createOAuthVerifier } from '../auth.js';
import { createEdgeMetrics } from '../metrics.js';
import type { Identify, ToolDeps } from '../tools/run.js';
import { type FakeAgent, type FakeTokenEndpoint, startFakeAgent, startFakeTokenEndpoint } from './fakes.js';

/** The public URL the edge believes it has; tokens are minted for `${PUBLIC_URL}/mcp`. */
export const PUBLIC_URL = 'http://localhost:4000';
export const MCP_RESOURCE = `${PUBLIC_URL}/mcp`;
export const AGENT_AUDIENCE = 'http://localhost:4002';
const CLIENT_ID = 'mcp-edge';
/** A machine client the fake token endpoint grants client_credentials tokens to. */
export const MACHINE_CLIENT = { id: 'nightly-report', secret: 'nightly-report-secret-0123' };
const CLIENT_SECRET = 'edge-test-secret-0123456789';

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
  /** The OAuth verifier the HTTP guard uses, for entry points that verify tokens themselves. */
  oauthVerifier: OAuthTokenVerifier;
  /** Tool dependencies wired to the same agent, exchanger and authorizer, with another caller source. */
  toolDeps(identify: Identify): ToolDeps;
  close(): Promise<void>;
}

/**
 * The edge app as production wires it (real verifier, token exchanger, embedded authorization
 * engine in memory, seeded) in front of a fake agent and a fake token endpoint.
 */
export async function startEdge(
  options: { allowedOrigins?: string[]; toolCallsPerMinute?: number } = {},
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
  const metrics = createMetrics('mcp-edge', { defaultMetrics: false });
  const authorizer = await createAuthorizer({ sqlitePath: ':memory:', registry: metrics.registry });
  await seedTuples(authorizer);
  const logger = createLogger({ service: 'mcp-edge', level: 'silent' });
  const verifier = createTokenVerifier({
    issuer: issuer.issuer,
    audiences: [MCP_RESOURCE, PUBLIC_URL],
    jwks: createJwksClient({ jwksUrl: issuer.jwksUrl }),
  });
  const exchanger = createTokenExchanger({
    tokenEndpoint: tokenEndpoint.url,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    resource: AGENT_AUDIENCE,
  });
  const agentClient = createAgentClient({ baseUrl: agent.url, timeoutMs: 10_000 });
  const rateLimit = {
    limiter: createMemoryRateLimiter(),
    rules: {
      free: { limit: options.toolCallsPerMinute ?? 1000, windowMs: 60_000 },
      premium: { limit: (options.toolCallsPerMinute ?? 1000) * 2, windowMs: 60_000 },
      enterprise: { limit: (options.toolCallsPerMinute ?? 1000) * 4, windowMs: 60_000 },
    },
  };
  const { app, close: closeApp } = createApp({
    logger,
    metrics,
    verifier,
    exchanger,
    authorizer,
    rateLimit,
    agent: agentClient,
    publicUrl: PUBLIC_URL,
    issuer: issuer.issuer,
    bindHost: '127.0.0.1',
    allowedHosts: [],
    allowedOrigins: options.allowedOrigins ?? [],
    corsOrigins: [],
    bodyLimit: '100kb',
    allowInsecureIssuer: true,
  });
  const server = await listen(app, 0, '127.0.0.1');
  const url = `http://127.0.0.1:${server.port}`;
  return {
    url,
    mcpUrl: `${url}/mcp`,
    issuer,
    agent,
    tokenEndpoint,
    authorizer,
    limiter: rateLimit.limiter,
    metrics,
    token: (claims) => issuer.sign(claims),
    oauthVerifier: createOAuthVerifier(verifier, new URL(MCP_RESOURCE)),
    toolDeps: (identify) => ({
      identify,
      authorizer,
      rateLimit,
      agent: agentClient,
      exchanger,
      logger,
      metrics: createEdgeMetrics(createMetrics('mcp-edge', { defaultMetrics: false })),
    }),
    async close() {
      await server.close();
      await closeApp();
      await authorizer.close();
      await Promise.all([issuer.close(), agent.close(), tokenEndpoint.close()]);
    },
  };
}
