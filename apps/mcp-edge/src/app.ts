import {
  createBaseApp,
  jsonBody,
  onlyFor,
  type Probe,
  type ServiceApp,
  type ServiceBase,
} from '@mcp-langgraph/observability';
import { DEFAULT_SCOPES, isLoopbackHost, LOOPBACK_HOSTS, SCOPE } from '@mcp-langgraph/protocol';
import { bearerGuard, type TokenVerifier } from '@mcp-langgraph/resource-server';
import {
  hostHeaderValidation,
  localhostHostValidation,
  originValidation,
} from '@modelcontextprotocol/express';
import cors from 'cors';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { mcpAuthInfo } from './auth-info.js';
import { httpIdentity } from './identity.js';
import { createMcpEndpoint } from './mcp.js';
import { buildResourceMetadata, resourceMetadataRouter, resourceMetadataUrl } from './metadata.js';
import type { ToolServices } from './tools/tool-call-gate.js';

export interface EdgeAppDeps {
  base: ServiceBase;
  verifier: TokenVerifier;
  /** What the tools run on; the caller is the bearer token verified at the door. */
  tools: ToolServices;
  /** The agent's Agent Protocol API, served under `/agent` (see `agentProxy`). */
  agentApi: RequestHandler;
  /** Public base URL of the edge (normalised by the configuration); the MCP endpoint is `<publicUrl>/mcp`. */
  publicUrl: string;
  /** The authorization server's issuer, advertised in the resource metadata. */
  issuer: string;
  /** The interface the server binds to; loopback binds get Host validation by default. */
  bindHost: string;
  /** Host names accepted in `Host` (DNS-rebinding protection); empty = loopback names on loopback binds. */
  allowedHosts: readonly string[];
  /** Origin host names accepted from browsers; empty = the public URL's host and loopback names. */
  allowedOrigins: readonly string[];
  allowInsecureIssuer: boolean;
  probes?: readonly Probe[];
}

function hostAllowed(origin: string, hostnames: readonly string[]): boolean {
  try {
    return hostnames.includes(new URL(origin).hostname);
  } catch {
    return false;
  }
}

/**
 * A body `/mcp` cannot take gets a JSON-RPC error, as an MCP client expects: malformed JSON is a
 * parse error, a body nested past the limit an invalid request naming the limit.
 */
const jsonRpcParseError: ErrorRequestHandler = (err, _req, res, next) => {
  const e = err as { type?: string; code?: string; message?: string };
  if (e.type === 'entity.parse.failed')
    return void res
      .status(400)
      .json({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error: invalid JSON' }, id: null });
  if (e.code === 'json_too_deep')
    return void res
      .status(400)
      .json({ jsonrpc: '2.0', error: { code: -32600, message: e.message }, id: null });
  next(err);
};

/**
 * DNS-rebinding protection for `/mcp`: the Host check (the configured names, or loopback names on
 * a loopback bind) and the Origin check.
 */
function hostAndOriginGuards(deps: EdgeAppDeps, origins: string[]): RequestHandler[] {
  const guards: RequestHandler[] = [];
  if (deps.allowedHosts.length > 0) guards.push(hostHeaderValidation([...deps.allowedHosts]));
  else if (isLoopbackHost(deps.bindHost)) guards.push(localhostHostValidation());
  guards.push(originValidation(origins));
  return guards;
}

/**
 * The MCP edge on the platform's base app: RFC 9728 metadata and the `/mcp` CORS policy first,
 * then `/mcp` behind Host/Origin validation and the platform's bearer guard, served by the SDK's
 * stateless Streamable HTTP handler. The operational routes (`/healthz`, `/readyz`, `/metrics`)
 * come before the guards, so probes and scrapers that address the pod directly still reach them.
 */
export function createApp(deps: EdgeAppDeps): ServiceApp {
  const resource = new URL(`${deps.publicUrl}/mcp`);
  const metadataUrl = resourceMetadataUrl(resource);
  const origins =
    deps.allowedOrigins.length > 0 ? [...deps.allowedOrigins] : [resource.hostname, ...LOOPBACK_HOSTS];
  // Browser-based MCP clients call /mcp cross-origin with a bearer token (never cookies), so CORS
  // admits exactly the origins Origin validation admits, plus the CORS_ORIGINS allowlist. It
  // answers preflights itself, before the app-wide allowlist would.
  const mcpCors = cors({
    origin: (origin, cb) =>
      cb(
        null,
        origin !== undefined && (deps.base.corsOrigins.includes(origin) || hostAllowed(origin, origins)),
      ),
    exposedHeaders: [
      'WWW-Authenticate',
      'Mcp-Session-Id',
      'Mcp-Protocol-Version',
      'Content-Location',
      'Location',
    ],
    maxAge: 600,
  });
  // On the routes rather than the /mcp mount, so unknown paths and methods under /mcp stay 404s.
  const authenticated: RequestHandler[] = [
    bearerGuard({
      verifier: deps.verifier,
      requiredScopes: [SCOPE.tools],
      challengeScopes: DEFAULT_SCOPES,
      resourceMetadataUrl: metadataUrl,
      failures: deps.base.metrics.authFailures,
    }),
    mcpAuthInfo(resource),
  ];
  const endpoint = createMcpEndpoint(
    { ...deps.tools, identify: httpIdentity },
    { bodyLimit: deps.base.bodyLimit },
  );

  const { app, ops } = createBaseApp({
    ...deps.base,
    probes: deps.probes,
    exposedHeaders: ['WWW-Authenticate', 'Mcp-Protocol-Version'],
    before: [
      {
        handlers: [
          onlyFor(
            (path) => path.startsWith('/.well-known/'),
            resourceMetadataRouter(
              buildResourceMetadata({
                resource,
                issuer: deps.issuer,
                allowInsecureIssuer: deps.allowInsecureIssuer,
              }),
            ),
          ),
        ],
      },
      { path: ['/mcp', '/agent'], handlers: [mcpCors] },
    ],
    guards: [{ path: ['/mcp', '/agent'], handlers: hostAndOriginGuards(deps, origins) }],
    routes(app) {
      app.post('/mcp', ...authenticated, jsonBody({ limit: deps.base.bodyLimit }), endpoint.handle);
      app.get('/mcp', ...authenticated, endpoint.handle);
      app.delete('/mcp', ...authenticated, endpoint.handle);
      // The same tokens as /mcp; the agent decides each route's scope and relation itself.
      app.use(
        '/agent',
        bearerGuard({
          verifier: deps.verifier,
          challengeScopes: DEFAULT_SCOPES,
          resourceMetadataUrl: metadataUrl,
          failures: deps.base.metrics.authFailures,
        }),
        deps.agentApi,
      );
    },
    errorHandlers: [{ path: '/mcp', handler: jsonRpcParseError }],
  });
  return { app, ops, close: () => endpoint.handler.close() };
}
