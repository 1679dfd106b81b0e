import { basicAuthorization, GRANT_TYPE, TOKEN_TYPE } from '@mcp-langgraph/protocol';
import type { VerifiedToken } from './verifier.js';

export interface TokenExchangerOptions {
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
  /** RFC 8707 resource of the downstream service. */
  resource: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Seconds before expiry at which a cached exchanged token is no longer handed out. */
  refreshSkewSec?: number;
  /** Seconds since the epoch. */
  now?: () => number;
}

export class TokenExchangeError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'TokenExchangeError';
  }
}

/**
 * Trades a caller's token for one addressed to a downstream service (RFC 8693), so the caller's
 * token is never passed on. Results are cached per subject token until shortly before expiry.
 */
export function createTokenExchanger(options: TokenExchangerOptions) {
  const doFetch = options.fetch ?? fetch;
  const skew = options.refreshSkewSec ?? 30;
  const now = options.now ?? (() => Date.now() / 1000);
  const cache = new Map<string, { token: string; expiresAt: number }>();
  const authorization = basicAuthorization(options.clientId, options.clientSecret);

  function sweep(nowSec: number) {
    if (cache.size < 10_000) return;
    for (const [k, v] of cache) if (v.expiresAt - skew <= nowSec) cache.delete(k);
    if (cache.size >= 10_000) cache.clear();
  }

  return {
    async exchange(subject: VerifiedToken): Promise<string> {
      const nowSec = now();
      const hit = cache.get(subject.jti);
      if (hit && hit.expiresAt - skew > nowSec) return hit.token;
      const body = new URLSearchParams({
        grant_type: GRANT_TYPE.tokenExchange,
        subject_token: subject.token,
        subject_token_type: TOKEN_TYPE.accessToken,
        resource: options.resource,
      });
      let res: Response;
      try {
        res = await doFetch(options.tokenEndpoint, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
          body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
        });
      } catch {
        throw new TokenExchangeError('the authorization server is unreachable');
      }
      const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      if (!res.ok || typeof json.access_token !== 'string') {
        const code = typeof json.error === 'string' ? json.error : `HTTP ${res.status}`;
        throw new TokenExchangeError(`token exchange was refused (${code})`, res.status);
      }
      const expiresIn = typeof json.expires_in === 'number' ? json.expires_in : 60;
      sweep(nowSec);
      // Never past the caller's own token: the exchanged token must not outlive what it came from.
      cache.set(subject.jti, {
        token: json.access_token,
        expiresAt: Math.min(nowSec + expiresIn, subject.expiresAt),
      });
      return json.access_token;
    },
  };
}

export type TokenExchanger = ReturnType<typeof createTokenExchanger>;
