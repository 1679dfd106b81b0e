import type { Authorizer } from '@mcp-langgraph/authz';
import {
  corsAllowlist,
  errorHandler,
  type Logger,
  type Metrics,
  notFoundHandler,
  operationalRoutes,
  type Probe,
  requestContext,
  securityHeaders,
} from '@mcp-langgraph/observability';
import type { TokenVerifier, VerifiedToken } from '@mcp-langgraph/resource-server';
import {
  hostHeaderValidation,
  localhostHostValidation,
  originValidation,
} from '@modelcontextprotocol/express';
import { localhostAllowedOrigins } from '@modelcontextprotocol/server';
import cors from 'cors';
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { AgentClient } from './agent-client.js';
import { bearerGuard, createOAuthVerifier } from './auth.js';
import { httpIdentity } from './identity.js';
import { createMcpEndpoint } from './mcp.js';
import {
  buildResourceMetadata,
  resourceMetadataRouter,
  resourceMetadataUrl,
  SCOPES_SUPPORTED,
} from './metadata.js';
import { createEdgeMetrics } from './metrics.js';
import type { ToolDeps } from './tools/run.js';

export interface EdgeAppDeps {
  logger: Logger;
  metrics: Metrics;
  verifier: TokenVerifier;
  exchanger: { exchange(subject: VerifiedToken): Promise<string> };
  authorizer: Authorizer;
  /** Tool calls per user and tool. */
  rateLimit: ToolDeps['rateLimit'];
  agent: AgentClient;
  /** Public base URL of the edge; the MCP endpoint is `<publicUrl>/mcp`. */
  publicUrl: string;
  /** The authorization server's issuer, advertised in the resource metadata. */
  issuer: string;
  /** The interface the server binds to; loopback binds get Host validation by default. */
  bindHost: string;
  /** Host names accepted in `Host` (DNS-rebinding protection); empty = loopback names on loopback binds. */
  allowedHosts: readonly string[];
  /** Origin host names accepted from browsers; empty = the public URL's host and loopback names. */
  allowedOrigins: readonly string[];
  corsOrigins: readonly string[];
  bodyLimit: string;
  trustProxy?: string;
  allowInsecureIssuer: boolean;
  probes?: readonly Probe[];
}

/** The scope every MCP request needs. */
export const MCP_SCOPE = 'mcp:tools';

const LOOPBACK_BINDS = new Set(['127.0.0.1', 'localhost', '::1']);

function hostAllowed(origin: string, hostnames: readonly string[]): boolean {
  try {
    return hostnames.includes(new URL(origin).hostname);
  } catch {
    return false;
  }
}

/** Malformed JSON on `/mcp` gets a JSON-RPC parse error, as an MCP client expects. */
const jsonRpcParseError: ErrorRequestHandler = (err, _req, res, next) => {
  if ((err as { type?: string }).type !== 'entity.parse.failed') return next(err);
  res
    .status(400)
    .json({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error: invalid JSON' }, id: null });
};

/**
 * The MCP edge: RFC 9728 metadata, then `/mcp` behind Host/Origin validation and bearer
 * authentication, served by the SDK's stateless Streamable HTTP handler. Operational routes
 * (`/healthz`, `/readyz`, `/metrics`) stay outside Host validation so probes and scrapers that
 * address the pod directly still reach them.
 */
export function createApp(deps: EdgeAppDeps): { app: Express; close(): Promise<void> } {
  const resource = new URL(`${deps.publicUrl.replace(/\/$/, '')}/mcp`);
  const metadataUrl = resourceMetadataUrl(resource);
  const edgeMetrics = createEdgeMetrics(deps.metrics);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? 'loopback');
  app.use(requestContext(deps.logger, deps.metrics));
  app.use(securityHeaders());
  app.use(
    resourceMetadataRouter(
      buildResourceMetadata({ resource, issuer: deps.issuer, allowInsecureIssuer: deps.allowInsecureIssuer }),
    ),
  );
  app.use(operationalRoutes(deps.metrics, deps.probes));

  const guards = [];
  if (deps.allowedHosts.length > 0) guards.push(hostHeaderValidation([...deps.allowedHosts]));
  else if (LOOPBACK_BINDS.has(deps.bindHost)) guards.push(localhostHostValidation());
  const origins =
    deps.allowedOrigins.length > 0
      ? [...deps.allowedOrigins]
      : [...new Set([resource.hostname, ...localhostAllowedOrigins()])];
  guards.push(originValidation(origins));
  // Browser-based MCP clients call /mcp cross-origin with a bearer token (never cookies), so CORS
  // admits exactly the origins Origin validation admits, plus the CORS_ORIGINS allowlist.
  const mcpCors = cors({
    origin: (origin, cb) =>
      cb(null, origin !== undefined && (deps.corsOrigins.includes(origin) || hostAllowed(origin, origins))),
    exposedHeaders: ['WWW-Authenticate', 'Mcp-Session-Id', 'Mcp-Protocol-Version'],
    maxAge: 600,
  });
  app.use('/mcp', mcpCors);
  app.use(corsAllowlist(deps.corsOrigins, ['WWW-Authenticate', 'Mcp-Protocol-Version']));
  guards.push(
    bearerGuard({
      verifier: createOAuthVerifier(deps.verifier, resource),
      resource,
      resourceMetadataUrl: metadataUrl,
      requiredScopes: [MCP_SCOPE],
      challengeScopes: SCOPES_SUPPORTED,
      failures: edgeMetrics.authFailures,
    }),
  );

  const endpoint = createMcpEndpoint({
    identify: httpIdentity,
    authorizer: deps.authorizer,
    rateLimit: deps.rateLimit,
    agent: deps.agent,
    exchanger: deps.exchanger,
    logger: deps.logger,
    metrics: edgeMetrics,
  });
  app.post('/mcp', ...guards, express.json({ limit: deps.bodyLimit }), endpoint.handle);
  app.get('/mcp', ...guards, endpoint.handle);
  app.delete('/mcp', ...guards, endpoint.handle);
  app.use('/mcp', jsonRpcParseError);
  app.use(notFoundHandler());
  app.use(errorHandler());
  return { app, close: () => endpoint.handler.close() };
}
