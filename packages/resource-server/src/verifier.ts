import jwt from 'jsonwebtoken';
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

export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

export interface TokenVerifierOptions {
  issuer: string;
  /** Accepted `aud` values: this resource server's identifiers. */
  audiences: readonly string[];
  jwks: JwksClient;
  clockToleranceSec?: number;
  /** How many verified tokens to remember (until their expiry). */
  cacheSize?: number;
  /** Asked after the signature checks; true means the token was revoked. */
  isRevoked?: (jti: string) => Promise<boolean> | boolean;
  now?: () => number;
}

export type TokenVerifier = ReturnType<typeof createTokenVerifier>;

const AT_JWT = new Set(['at+jwt', 'application/at+jwt']);

/**
 * Verifies RFC 9068 access tokens: ES256 signature by a published key, `typ`, issuer, audience,
 * expiry and not-before, and the claims the services rely on. Verified tokens are cached until
 * they expire so the hot path skips the signature check.
 */
export function createTokenVerifier(options: TokenVerifierOptions) {
  const cacheSize = options.cacheSize ?? 10_000;
  const cache = new Map<string, VerifiedToken>();
  const now = options.now ?? (() => Date.now() / 1000);
  const audiences = [...options.audiences] as [string, ...string[]];

  async function verifyUncached(token: string): Promise<VerifiedToken> {
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload === 'string') throw new TokenError('token is not a JWT');
    const { header } = decoded;
    if (header.alg !== 'ES256') throw new TokenError('token algorithm is not accepted');
    if (!header.typ || !AT_JWT.has(header.typ.toLowerCase()))
      throw new TokenError('token is not an access token');
    if (!header.kid) throw new TokenError('token has no key id');
    let key: Awaited<ReturnType<JwksClient['getKey']>>;
    try {
      key = await options.jwks.getKey(header.kid);
    } catch {
      throw new TokenError('signing keys are unavailable');
    }
    if (!key) throw new TokenError('token was signed by an unknown key');
    let payload: jwt.JwtPayload;
    try {
      payload = jwt.verify(token, key, {
        algorithms: ['ES256'],
        issuer: options.issuer,
        audience: audiences,
        clockTolerance: options.clockToleranceSec ?? 5,
        clockTimestamp: Math.floor(now()),
      }) as jwt.JwtPayload;
    } catch (err) {
      const e = err as Error;
      if (e.name === 'TokenExpiredError') throw new TokenError('token has expired');
      if (e.name === 'NotBeforeError') throw new TokenError('token is not valid yet');
      throw new TokenError(
        /audience|issuer/.test(e.message)
          ? `token ${e.message.replace(/^jwt /, '').split('.')[0]}`
          : 'token signature is invalid',
      );
    }
    const { sub, exp, jti, client_id, scope, sub_type, aud } = payload as Record<string, unknown>;
    if (typeof sub !== 'string' || !sub) throw new TokenError('token has no subject');
    if (typeof exp !== 'number') throw new TokenError('token has no expiry');
    if (typeof jti !== 'string' || typeof client_id !== 'string')
      throw new TokenError('token lacks jti or client_id');
    if (sub_type !== 'user' && sub_type !== 'client') throw new TokenError('token has no subject type');
    const act = payload.act as { sub?: unknown } | undefined;
    return {
      token,
      sub,
      subType: sub_type,
      subject: `${sub_type}:${sub}`,
      clientId: client_id,
      scopes: typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [],
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
      if (options.isRevoked && (await options.isRevoked(v.jti)))
        throw new TokenError('token has been revoked');
      return v;
    },
  };
}
