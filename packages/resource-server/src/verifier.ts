import { scopeNames, subjectOf } from '@mcp-langgraph/protocol';
import { checkAccessToken, decodeAccessToken, TokenError } from './access-token.js';
import type { JwksClient } from './jwks.js';

/** What a resource server knows about a caller once its access token has been verified. */
export interface VerifiedToken {
  /** The raw token (needed for token exchange); never log it. */
  token: string;
  sub: string;
  subType: 'user' | 'client';
  /** The authorization subject: `user:<sub>` or `client:<sub>`. */
  subject: string;
  clientId: string;
  scopes: readonly string[];
  audience: string;
  /** Seconds since the epoch. */
  expiresAt: number;
  jti: string;
  username?: string | undefined;
  tier?: string | undefined;
  /** The client acting on the user's behalf, for exchanged tokens. */
  actor?: string | undefined;
}

export interface TokenVerifierOptions {
  issuer: string;
  /** Accepted `aud` values: this resource server's identifiers. */
  audiences: readonly string[];
  jwks: JwksClient;
  clockToleranceSec?: number;
  /** How many verified tokens to remember (until their expiry). */
  cacheSize?: number;
  /** Asked on every call, cached or not; true means the token was revoked or its user disabled. */
  isRevoked?: (token: VerifiedToken) => Promise<boolean> | boolean;
  now?: () => number;
}

export type TokenVerifier = ReturnType<typeof createTokenVerifier>;

/**
 * Verifies RFC 9068 access tokens: ES256 signature by a published key, `typ`, issuer, audience,
 * expiry and not-before, and the claims the services rely on. Verified tokens are cached until
 * they expire so the hot path skips the signature check.
 */
export function createTokenVerifier(options: TokenVerifierOptions) {
  const cacheSize = options.cacheSize ?? 10_000;
  const cache = new Map<string, VerifiedToken>();
  const now = options.now ?? (() => Date.now() / 1000);
  const audiences: readonly string[] = [...options.audiences];

  async function verifyUncached(token: string): Promise<VerifiedToken> {
    const decoded = decodeAccessToken(token);
    let key: Awaited<ReturnType<JwksClient['getKey']>>;
    try {
      key = await options.jwks.getKey(decoded.kid);
    } catch {
      throw new TokenError('signing keys are unavailable');
    }
    const payload = checkAccessToken(decoded, key, {
      issuer: options.issuer,
      audiences,
      now: now(),
      clockToleranceSec: options.clockToleranceSec,
    });
    const { sub, exp, jti, client_id, scope, sub_type, aud } = payload;
    const act = payload.act as { sub?: unknown } | undefined | null;
    return {
      token,
      sub,
      subType: sub_type,
      subject: subjectOf(sub_type, sub),
      clientId: client_id,
      scopes: scopeNames(scope),
      audience: Array.isArray(aud) ? String(aud[0]) : String(aud),
      expiresAt: exp,
      jti,
      username: typeof payload.username === 'string' ? payload.username : undefined,
      tier: typeof payload.tier === 'string' ? payload.tier : undefined,
      actor: act && typeof act.sub === 'string' ? act.sub : undefined,
    };
  }

  return {
    async verify(token: string): Promise<VerifiedToken> {
      let v = cache.get(token);
      if (v && v.expiresAt + (options.clockToleranceSec ?? 5) <= now()) {
        cache.delete(token);
        v = undefined;
      }
      if (!v) {
        v = await verifyUncached(token);
        if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
        cache.set(token, v);
      }
      if (options.isRevoked && (await options.isRevoked(v))) throw new TokenError('token has been revoked');
      return v;
    },
  };
}
