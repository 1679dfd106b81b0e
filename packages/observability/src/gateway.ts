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

/**
 * The gateway secret as a fixed value, or read per request: the values accepted now, the current
 * one first, then (for a short overlap after a rotation) the one it replaced.
 */
export type GatewaySecret = string | (() => readonly string[]);

export interface GatewayGuardOptions {
  /** The value the gateway sends in `X-Gateway-Secret`, or the values accepted now. */
  secret: GatewaySecret;
  /**
   * Exact paths other services call directly, not through the gateway, that need no gateway
   * limits: the public keys, or feeds that authenticate their callers themselves.
   */
  exempt?: readonly string[];
}

// Comparing fixed-length digests keeps the comparison constant-time whatever the lengths.
const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** The digests of the accepted values, recomputed only when the values change. */
function acceptedDigests(secret: GatewaySecret): () => readonly Buffer[] {
  if (typeof secret === 'string') {
    if (secret.length === 0) throw new Error('the gateway secret must not be empty');
    const fixed = [digest(secret)];
    return () => fixed;
  }
  let seen: readonly string[] = [];
  let digests: readonly Buffer[] = [];
  return () => {
    const values = secret().filter((v) => v.length > 0);
    if (values.length !== seen.length || values.some((v, i) => v !== seen[i])) {
      seen = values;
      digests = values.map(digest);
    }
    return digests;
  };
}

/**
 * Refuses, with 403 `gateway_required`, any request that does not carry the gateway's secret, so
 * the gateway's rate and size limits cannot be bypassed by reaching the service directly. A
 * repeated header (two values) is refused too, and so is every request while no value is accepted.
 * The secret is never logged.
 */
export function requireGateway(options: GatewayGuardOptions): RequestHandler {
  const accepted = acceptedDigests(options.secret);
  const exempt = new Set([...ALWAYS_EXEMPT, ...(options.exempt ?? [])]);
  return (req, _res, next) => {
    if (exempt.has(req.path)) return next();
    const presented = req.headers[GATEWAY_SECRET_HEADER];
    if (typeof presented === 'string') {
      const given = digest(presented);
      // Every accepted value is compared, so the time taken does not tell which one matched.
      let ok = false;
      for (const expected of accepted()) ok = timingSafeEqual(given, expected) || ok;
      if (ok) return next();
    }
    req.log?.warn(
      { reason: presented === undefined ? 'missing' : 'mismatch' },
      'request refused: it did not come through the gateway',
    );
    next(forbidden('this service is reached through the gateway only', 'gateway_required'));
  };
}

/**
 * `fetch` that sends the gateway's secret with every request, for a service calling another one
 * that requires the gateway over the internal network (the edge's token exchange at auth). With
 * values read per request, the current one is sent, and a 403 is tried once more with the value it
 * replaced while that is still accepted here (the other service may not have seen the rotation
 * yet; the guard refuses before the request is processed, so sending it again is safe).
 */
export function fetchWithGatewaySecret(
  secret: GatewaySecret | undefined,
  base: typeof fetch = fetch,
): typeof fetch {
  if (!secret) return base;
  const values = typeof secret === 'string' ? () => [secret] : secret;
  const send = (value: string, input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    headers.set(GATEWAY_SECRET_HEADER, value);
    return base(input, { ...init, headers });
  };
  return async (input, init) => {
    const [first, ...rest] = values();
    if (first === undefined) return base(input, init);
    let res = await send(first, input, init);
    for (const value of rest) {
      if (res.status !== 403) break;
      await res.body?.cancel();
      res = await send(value, input, init);
    }
    return res;
  };
}
