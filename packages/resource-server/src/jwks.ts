import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';

export interface JwksClientOptions {
  jwksUrl: string;
  /** How long a fetched key set is trusted before it is fetched again. */
  cacheTtlMs?: number;
  /** Least time between two fetches caused by an unknown `kid` (keeps a forged kid from hammering the server). */
  cooldownMs?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface JwksClient {
  /** The verification key for `kid`, or undefined when the authorization server does not publish it. */
  getKey(kid: string): Promise<KeyObject | undefined>;
}

/** Caches the authorization server's JWKS as `KeyObject`s (jsonwebtoken's fast path). */
export function createJwksClient(options: JwksClientOptions): JwksClient {
  const ttl = options.cacheTtlMs ?? 10 * 60_000;
  const cooldown = options.cooldownMs ?? 30_000;
  const doFetch = options.fetch ?? fetch;
  let keys = new Map<string, KeyObject>();
  let fetchedAt = 0;
  let inflight: Promise<void> | undefined;

  async function refresh(): Promise<void> {
    const res = await doFetch(options.jwksUrl, { signal: AbortSignal.timeout(options.timeoutMs ?? 5000) });
    if (!res.ok) throw new Error(`JWKS endpoint answered ${res.status}`);
    const body = (await res.json()) as { keys?: Array<JsonWebKey & { kid?: string; use?: string }> };
    const next = new Map<string, KeyObject>();
    for (const jwk of body.keys ?? []) {
      if (!jwk.kid || jwk.kty !== 'EC' || (jwk.use && jwk.use !== 'sig')) continue;
      next.set(jwk.kid, createPublicKey({ key: jwk, format: 'jwk' }));
    }
    keys = next;
    fetchedAt = Date.now();
  }

  function refreshOnce(): Promise<void> {
    inflight ??= refresh().finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  return {
    async getKey(kid) {
      const age = Date.now() - fetchedAt;
      if (fetchedAt === 0 || age > ttl) await refreshOnce();
      else if (!keys.has(kid) && age > cooldown) await refreshOnce();
      return keys.get(kid);
    },
  };
}
