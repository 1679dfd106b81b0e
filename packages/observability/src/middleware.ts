import { randomUUID } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import type { Express as ExpressApp, Request, RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const LOG = Symbol('request logger');
const TRACE_ID = Symbol('request trace id');
type Logged = Request & { [LOG]?: Logger; [TRACE_ID]?: string };

/**
 * `req.log` on every request of `app`: a child logger with the request id (and trace id), made
 * the first time a handler logs, so a request that logs nothing does not pay for one.
 */
export function lazyRequestLogger(app: ExpressApp, logger: Logger): void {
  Object.defineProperty(app.request, 'log', {
    configurable: true,
    get(this: Logged): Logger {
      this[LOG] ??= logger.child({
        request_id: this.id,
        ...(this[TRACE_ID] ? { trace_id: this[TRACE_ID] } : {}),
      });
      return this[LOG];
    },
    set(this: Logged, value: Logger) {
      this[LOG] = value;
    },
  });
}

/** Request id (kept from a gateway's `X-Request-Id` when well-formed), per-request child logger, metrics. */
export function requestContext(logger: Logger, metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    req.id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', req.id);
    const traceId = trace.getActiveSpan()?.spanContext().traceId;
    // The apps of `createBaseApp` make `req.log` when it is first used; elsewhere it is made now.
    if (traceId) (req as Logged)[TRACE_ID] = traceId;
    if (!Reflect.has(req, 'log'))
      req.log = logger.child({ request_id: req.id, ...(traceId ? { trace_id: traceId } : {}) });
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      // Route templates keep label cardinality bounded; unmatched paths share one label.
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : req.baseUrl || 'unmatched';
      const labels = { method: req.method, route, status: String(res.statusCode) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, seconds);
      if (res.statusCode >= 500)
        req.log.error({ status: res.statusCode, method: req.method, route }, 'request failed');
    });
    next();
  };
}

/**
 * helmet defaults tuned for an API: no inline script, framing denied. None of them depends on the
 * request, so helmet writes them once at start and each response gets the same header set.
 */
export function securityHeaders(): RequestHandler {
  const set = new Map<string, string>();
  const removed = new Set<string>();
  const recorder = {
    setHeader: (name: string, value: string) => void set.set(name, value),
    removeHeader: (name: string) => void removed.add(name),
  };
  helmet({ crossOriginResourcePolicy: { policy: 'same-site' } })(
    {} as never,
    recorder as never,
    (err?: unknown) => {
      if (err) throw err;
    },
  );
  const headers = [...set];
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    for (const name of removed) res.removeHeader(name);
    next();
  };
}

/**
 * `handler` (a router, say) only for the paths `matches` accepts; other requests skip it without
 * entering it, which keeps routers that serve a few fixed paths off every other request's way.
 * The path is compared lower-cased and without a trailing slash, as express's routes match.
 */
export function onlyFor(matches: (path: string) => boolean, handler: RequestHandler): RequestHandler {
  return (req, res, next) => {
    const path = req.path.toLowerCase();
    return matches(path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path)
      ? handler(req, res, next)
      : next();
  };
}

/**
 * Middleware run one after another as one: what express does for a stack of layers, without its
 * per-layer routing work. `next(err)`, `next('router')` and thrown or rejected errors go on to the
 * outer `next` as they would from a layer; `next()`, `next(null)` and `next('route')` go on.
 */
export function sequence(handlers: readonly RequestHandler[]): RequestHandler {
  if (handlers.length === 1) return handlers[0]!;
  return (req, res, next) => {
    let index = 0;
    const step = (err?: unknown): void => {
      // As express's router: a falsy value or 'route' goes on, anything else leaves the sequence.
      if (err && err !== 'route') {
        next(err);
        return;
      }
      const handler = handlers[index++];
      if (!handler) {
        next();
        return;
      }
      try {
        const result = handler(req, res, step) as unknown;
        if (result instanceof Promise)
          result.then(undefined, (e: unknown) => next(e ?? new Error('rejected')));
      } catch (e) {
        next(e);
      }
    };
    step();
  };
}
