import type { Metrics, Probe } from '@mcp-langgraph/observability';
import { corsAllowlist, createBaseApp, finishApp, type Logger } from '@mcp-langgraph/observability';
import express, { type Express } from 'express';
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
  context: AuthContext;
  logger: Logger;
  metrics: Metrics;
  corsOrigins: readonly string[];
  bodyLimit: string;
  trustProxy?: string;
  probes?: readonly Probe[];
}

// Browser-based MCP clients call these cross-origin. They use no cookies and answer only to
// credentials sent explicitly, so any origin may read them.
const OPEN_CORS_PATHS = ['/.well-known', '/token', '/register', '/revoke'];

/** The authorization server's express app; no I/O happens here. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.use(OPEN_CORS_PATHS, corsAllowlist(['*']));
  createBaseApp(
    {
      logger: deps.logger,
      metrics: deps.metrics,
      corsOrigins: deps.corsOrigins,
      bodyLimit: deps.bodyLimit,
      trustProxy: deps.trustProxy,
      probes: deps.probes,
    },
    app,
  );
  const ctx = deps.context;
  app.use(metadataRoutes(ctx));
  app.use(authorizeRoutes(ctx));
  app.use(consentRoutes(ctx));
  app.use(tokenRoutes(ctx));
  app.use(registerRoutes(ctx));
  app.use(revokeRoutes(ctx));
  app.use(introspectRoutes(ctx));
  app.use(revocationFeedRoutes(ctx));
  return finishApp(app);
}
