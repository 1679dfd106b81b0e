import { createServer, type Server } from 'node:http';
import cors from 'cors';
import express, { type ErrorRequestHandler, type Express as ExpressApp, type RequestHandler } from 'express';
import { notFound, toErrorResponse } from './errors.js';
import { type GatewaySecret, requireGateway } from './gateway.js';
import { jsonBody } from './json-body.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { lazyRequestLogger, onlyFor, requestContext, securityHeaders, sequence } from './middleware.js';

declare global {
  namespace Express {
    interface Request {
      id: string;
      log: Logger;
    }
  }
}

/** CORS for an explicit allowlist only; an empty list sends no CORS headers at all. */
export function corsAllowlist(origins: readonly string[], exposedHeaders: string[] = []): RequestHandler {
  const allowAll = origins.includes('*');
  return cors({
    origin: allowAll ? true : (origin, cb) => cb(null, origin !== undefined && origins.includes(origin)),
    exposedHeaders,
    maxAge: 600,
  });
}

export interface Probe {
  name: string;
  check(): Promise<void>;
}

/** `/healthz`: the process is alive. It reveals nothing, so it is served on every port. */
function healthRoute(router: express.Router): void {
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
}

const OPS_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** `/healthz` (process alive), `/readyz` (every dependency answers), `/metrics` (Prometheus). */
export function operationalRoutes(metrics: Metrics, probes: readonly Probe[] = []): express.Router {
  const router = express.Router();
  healthRoute(router);
  router.get('/readyz', async (req, res) => {
    const results = await Promise.all(
      probes.map(async (p) => {
        try {
          await withTimeout(p.check(), 2000);
          return [p.name, 'ok'] as const;
        } catch (err) {
          req.log.warn({ probe: p.name, err: (err as Error).message }, 'readiness probe failed');
          return [p.name, 'unavailable'] as const;
        }
      }),
    );
    const ready = results.every(([, s]) => s === 'ok');
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not_ready', checks: Object.fromEntries(results) });
  });
  router.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
  return router;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

/** Last in the chain: unknown routes get 404, errors get the mapped body, 5xx get logged. */
export function notFoundHandler(): RequestHandler {
  // The path is not echoed: it is the caller's input, and may be long or hostile.
  return (req, _res, next) => next(notFound(`no route for ${req.method} on this path`));
}

export function errorHandler(): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const { status, body, headers } = toErrorResponse(err);
    if (status >= 500) req.log?.error({ err }, 'unhandled error');
    if (res.headersSent) {
      res.end();
      return;
    }
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.status(status).json(body);
  };
}

/** Middleware mounted on a path (or on every path when `path` is left out). */
export interface Mount {
  path?: string | string[];
  handlers: RequestHandler[];
}

export interface BaseAppOptions {
  logger: Logger;
  metrics: Metrics;
  /** Browser origins the app-wide CORS allowlist admits; empty sends no CORS headers. */
  corsOrigins: readonly string[];
  /** Largest body the opt-in parsers accept. */
  bodyLimit: string;
  /** Express `trust proxy`: `false` (the default) believes no `X-Forwarded-For`. */
  trustProxy?: boolean | number | string;
  probes?: readonly Probe[];
  /**
   * Serve `/readyz` and `/metrics` on the separate `ops` app only (`OPS_PORT`), so the public port
   * shows neither dependency health nor metrics; `/healthz` stays on both.
   */
  separateOps?: boolean;
  /** Response headers browsers may read on CORS answers. */
  exposedHeaders?: string[];
  /**
   * What must run before the common CORS allowlist, body parsers and operational routes: a path's
   * own CORS policy (the first CORS handler answers a preflight) and public documents.
   */
  before?: readonly Mount[];
  /** App-wide body parsers, off unless asked for: a service may parse only where it reads a body. */
  bodyParsers?: { json?: boolean; urlencoded?: boolean };
  /**
   * Guards (Host and Origin checks) mounted after the operational routes, so probes and scrapers
   * that address a pod directly are not held to the public host names.
   */
  guards?: readonly Mount[];
  /** Mounts the service's own routes. */
  routes(app: ExpressApp): void;
  /** Error handlers that answer before the common mapper, such as JSON-RPC errors on an MCP path. */
  errorHandlers?: ReadonlyArray<{ path?: string; handler: ErrorRequestHandler }>;
  /**
   * `GATEWAY_SECRET`: when set, every request but `/healthz` and `gatewayExempt` must carry it in
   * `X-Gateway-Secret` (added by Kong), else 403 `gateway_required`. The `ops` app is not held to it.
   * A function is read per request (a secret that rotates while the service runs).
   */
  gatewaySecret?: GatewaySecret | undefined;
  /** Exact paths other services call directly on the internal network (see `requireGateway`). */
  gatewayExempt?: readonly string[];
}

/** The mounts in order, with each run of mounts without a path served as one layer. */
function mountAll(app: ExpressApp, mounts: readonly Mount[]): void {
  let pathless: RequestHandler[] = [];
  const flush = () => {
    if (pathless.length > 0) app.use(sequence(pathless));
    pathless = [];
  };
  for (const m of mounts) {
    if (m.path === undefined) pathless.push(...m.handlers);
    else {
      flush();
      app.use(m.path, ...m.handlers);
    }
  }
  flush();
}

function bareApp(options: Pick<BaseAppOptions, 'logger' | 'metrics' | 'trustProxy'>): ExpressApp {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? false);
  lazyRequestLogger(app, options.logger);
  return app;
}

/**
 * The express app every service is built as, in one order: request context (ids, logger,
 * metrics), security headers, the gateway requirement (when `gatewaySecret` is set), `before`, the CORS allowlist, the opt-in body parsers, the
 * operational routes (`/healthz`, `/readyz`, `/metrics`; only `/healthz` with `separateOps`),
 * `guards`, the service's `routes`, its `errorHandlers`, then 404 for unknown routes and the one
 * error mapper. `ops` serves the operational routes alone, for a separate port.
 */
export function createBaseApp(options: BaseAppOptions): { app: ExpressApp; ops: ExpressApp } {
  const app = bareApp(options);
  const context = { handlers: [requestContext(options.logger, options.metrics)] };
  const mounts: Mount[] = [context, { handlers: [securityHeaders()] }];
  if (options.gatewaySecret)
    mounts.push({
      handlers: [requireGateway({ secret: options.gatewaySecret, exempt: options.gatewayExempt })],
    });
  mounts.push(...(options.before ?? []));
  mounts.push({ handlers: [corsAllowlist(options.corsOrigins, options.exposedHeaders)] });
  if (options.bodyParsers?.json) mounts.push({ handlers: [jsonBody({ limit: options.bodyLimit })] });
  if (options.bodyParsers?.urlencoded)
    mounts.push({
      handlers: [express.urlencoded({ extended: false, limit: options.bodyLimit, parameterLimit: 100 })],
    });
  if (options.separateOps) {
    const health = express.Router();
    healthRoute(health);
    mounts.push({ handlers: [onlyFor((p) => p === '/healthz', health)] });
  } else
    mounts.push({
      handlers: [onlyFor((p) => OPS_PATHS.has(p), operationalRoutes(options.metrics, options.probes))],
    });
  mounts.push(...(options.guards ?? []));
  mountAll(app, mounts);
  options.routes(app);
  for (const { path, handler } of options.errorHandlers ?? []) {
    if (path === undefined) app.use(handler);
    else app.use(path, handler);
  }
  app.use(notFoundHandler());
  app.use(errorHandler());
  const ops = bareApp(options);
  ops.use(
    requestContext(options.logger, options.metrics),
    operationalRoutes(options.metrics, options.probes),
    notFoundHandler(),
    errorHandler(),
  );
  return { app, ops };
}

/** Node's server timeouts, set well below its defaults so a slow client cannot hold a socket for minutes. */
export interface ServerTimeouts {
  /** Whole request, headers and body (Node: 300 s). */
  requestTimeoutMs: number;
  /** Request headers (Node: 60 s). */
  headersTimeoutMs: number;
  /** Idle keep-alive connection (Node: 5 s). */
  keepAliveTimeoutMs: number;
}

/** Listens and resolves once bound; `close` stops accepting and ends idle keep-alive sockets. */
export function listen(
  app: ExpressApp,
  port: number,
  host: string,
  timeouts?: ServerTimeouts,
): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const server = createServer(
      timeouts
        ? {
            requestTimeout: timeouts.requestTimeoutMs,
            headersTimeout: Math.min(timeouts.headersTimeoutMs, timeouts.requestTimeoutMs),
            keepAliveTimeout: timeouts.keepAliveTimeoutMs,
            // Node enforces the two timeouts when it sweeps connections; its default sweep (30 s)
            // would let a slow client overstay a short timeout by that much.
            connectionsCheckingInterval: Math.min(1000, timeouts.headersTimeoutMs),
          }
        : {},
      app,
    );
    server.listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      resolve({
        server,
        port: bound,
        close: () =>
          new Promise<void>((res) => {
            server.close(() => res());
            server.closeIdleConnections();
            setTimeout(() => server.closeAllConnections(), 5000).unref();
          }),
      });
    });
  });
}

/** Runs `stop` once on SIGTERM or SIGINT, then exits. */
export function onShutdown(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stop()
      .then(() => {
        logger.flush();
        process.exit(0);
      })
      .catch((err) => {
        logger.error({ err }, 'shutdown failed');
        logger.flush();
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => handler('SIGTERM'));
  process.once('SIGINT', () => handler('SIGINT'));
}
