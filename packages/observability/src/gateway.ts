import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { forbidden } from './errors.js';

/**
 * The header the gateway adds to every request it forwards (`kong/kong.yml`), carrying the shared
 * `GATEWAY_SECRET`; a service that requires the gateway refuses requests without it.
 */
export const GATEWAY_SECRET_HEADER = 'x-gateway-secret';

/** Paths answered without the header on every port: probes address pods directly. */
const ALWAYS_EXEMPT = ['/healthz'];

export interface GatewayGuardOptions {
  /** The value the gateway sends in `X-Gateway-Secret`. */
  secret: string;
  /**
   * Exact paths other services call directly, not through the gateway, that need no gateway
   * limits: the public keys, or feeds that authenticate their callers themselves.
   */
  exempt?: readonly string[];
}

// Comparing fixed-length digests keeps the comparison constant-time whatever the lengths.
const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Refuses, with 403 `gateway_required`, any request that does not carry the gateway's secret, so
 * the gateway's rate and size limits cannot be bypassed by reaching the service directly. A
 * repeated header (two values) is refused too. The secret is never logged.
 */
export function requireGateway(options: GatewayGuardOptions): RequestHandler {
  if (options.secret.length === 0) throw new Error('the gateway secret must not be empty');
  const expected = digest(options.secret);
  const exempt = new Set([...ALWAYS_EXEMPT, ...(options.exempt ?? [])]);
  return (req, _res, next) => {
    if (exempt.has(req.path)) return next();
    const presented = req.headers[GATEWAY_SECRET_HEADER];
    if (typeof presented === 'string' && timingSafeEqual(digest(presented), expected)) return next();
    req.log?.warn(
      { reason: presented === undefined ? 'missing' : 'mismatch' },
      'request refused: it did not come through the gateway',
    );
    next(forbidden('this service is reached through the gateway only', 'gateway_required'));
  };
}

/**
 * `fetch` that sends the gateway's secret with every request, for a service calling another one
 * that requires the gateway over the internal network (the edge's token exchange at auth).
 */
export function fetchWithGatewaySecret(secret: string | undefined, base: typeof fetch = fetch): typeof fetch {
  if (!secret) return base;
  return (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set(GATEWAY_SECRET_HEADER, secret);
    return base(input, { ...init, headers });
  };
}
