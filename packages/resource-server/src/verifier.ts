import { verify as cryptoVerify } from 'node:crypto';
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
  /** Asked on every call, cached or not; true means the token was revoked or its user disabled. */
  isRevoked?: (token: VerifiedToken) => Promise<boolean> | boolean;
  now?: () => number;
}

export type TokenVerifier = ReturnType<typeof createTokenVerifier>;

const AT_JWT = new Set(['at+jwt', 'application/at+jwt']);
const B64URL = /^[A-Za-z0-9_-]+$/;

function parseJson(part: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

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
    // ES256 is the only algorithm, so the signature is checked with node:crypto directly: no
    // algorithm negotiation to confuse, no DER conversion, one JSON parse per part.
    const parts = token.split('.');
    if (
      parts.length !== 3 ||
      !B64URL.test(parts[0]!) ||
      !B64URL.test(parts[1]!) ||
      !/^[A-Za-z0-9_-]*$/.test(parts[2]!)
    )
      throw new TokenError('token is not a JWT');
    const [h, p, sig] = parts as [string, string, string];
    const header = parseJson(h);
    if (!header) throw new TokenError('token is not a JWT');
    if (header.alg !== 'ES256') throw new TokenError('token algorithm is not accepted');
    if (typeof header.typ !== 'string' || !AT_JWT.has(header.typ.toLowerCase()))
      throw new TokenError('token is not an access token');
    if (typeof header.kid !== 'string' || !header.kid) throw new TokenError('token has no key id');
    if (header.crit !== undefined) throw new TokenError('token uses unsupported critical headers');
    let key: Awaited<ReturnType<JwksClient['getKey']>>;
    try {
      key = await options.jwks.getKey(header.kid);
    } catch {
      throw new TokenError('signing keys are unavailable');
    }
    if (!key) throw new TokenError('token was signed by an unknown key');
    const signature = Buffer.from(sig, 'base64url');
    if (
      signature.length !== 64 ||
      !cryptoVerify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, signature)
    )
      throw new TokenError('token signature is invalid');
    const payload = parseJson(p);
    if (!payload) throw new TokenError('token is not a JWT');
    const tolerance = options.clockToleranceSec ?? 5;
    const t = Math.floor(now());
    if (payload.iss !== options.issuer) throw new TokenError('token issuer invalid');
    const audClaim = payload.aud;
    const auds = Array.isArray(audClaim) ? audClaim : [audClaim];
    if (!auds.some((a) => typeof a === 'string' && audiences.includes(a)))
      throw new TokenError('token audience invalid');
    if (typeof payload.exp !== 'number') throw new TokenError('token has no expiry');
    if (payload.exp + tolerance <= t) throw new TokenError('token has expired');
    if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf - tolerance > t))
      throw new TokenError('token is not valid yet');
    if (payload.iat !== undefined && (typeof payload.iat !== 'number' || payload.iat - tolerance > t))
      throw new TokenError('token is not valid yet');
    const { sub, exp, jti, client_id, scope, sub_type, aud } = payload as Record<string, unknown>;
    if (typeof sub !== 'string' || !sub) throw new TokenError('token has no subject');
    if (typeof exp !== 'number') throw new TokenError('token has no expiry');
    if (typeof jti !== 'string' || typeof client_id !== 'string')
      throw new TokenError('token lacks jti or client_id');
    if (sub_type !== 'user' && sub_type !== 'client') throw new TokenError('token has no subject type');
    const act = payload.act as { sub?: unknown } | undefined | null;
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
      if (options.isRevoked && (await options.isRevoked(v))) throw new TokenError('token has been revoked');
      return v;
    },
  };
}
