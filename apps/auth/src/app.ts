import {
  corsAllowlist,
  createBaseApp,
  type Probe,
  type ServiceApp,
  type ServiceBase,
} from '@mcp-langgraph/observability';
import type { AuthContext } from './context.js';
import { authorizeRoutes } from './routes/authorize.js';
import { consentRoutes } from './routes/consent.js';
import { introspectRoutes } from './routes/introspect.js';
import { metadataRoutes } from './routes/metadata.js';
import { registerRoutes } from './routes/register.js';
import { revocationFeedRoutes } from './routes/revocations.js';
import { revokeRoutes } from './routes/revoke.js';
import { tokenRoutes } from './routes/token.js';

export interface AppDeps {
  base: ServiceBase;
  context: AuthContext;
  probes?: readonly Probe[];
}

// Browser-based MCP clients call these cross-origin. They use no cookies and answer only to
// credentials sent explicitly, so any origin may read them.
const OPEN_CORS_PATHS = ['/.well-known', '/token', '/register', '/revoke'];

// What the edge and the agent call directly on the internal network, without the gateway's secret:
// the public keys, and the revocation feed (never routed by Kong), which authenticates its
// confidential clients itself. The edge's token exchange sends the secret (GATEWAY_SECRET).
const INTERNAL_PATHS = ['/.well-known/jwks.json', '/revocations'];

const ROUTES = [
  metadataRoutes,
  authorizeRoutes,
  consentRoutes,
  tokenRoutes,
  registerRoutes,
  revokeRoutes,
  introspectRoutes,
  revocationFeedRoutes,
];

/** The authorization server's express app; no I/O happens here. */
export function createApp(deps: AppDeps): ServiceApp {
  const { app, ops } = createBaseApp({
    ...deps.base,
    probes: deps.probes,
    gatewayExempt: INTERNAL_PATHS,
    before: [{ path: OPEN_CORS_PATHS, handlers: [corsAllowlist(['*'])] }],
    // OAuth endpoints take forms (RFC 6749) and registration takes JSON (RFC 7591).
    bodyParsers: { json: true, urlencoded: true },
    routes(app) {
      for (const routes of ROUTES) app.use(routes(deps.context));
    },
  });
  // The app holds nothing of its own: the stores belong to the service that built the context.
  return { app, ops, close: async () => {} };
}
