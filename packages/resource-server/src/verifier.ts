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
  /** The client acting on the user's behalf, for exchanged tokens (`act.sub`). */
  actor?: string | undefined;
  /** Seconds since the epoch, when the token says when it was issued. */
  issuedAt?: number | undefined;
  /**
   * For an exchanged token: the `jti` of the token it was exchanged from (`subject_jti`), so
   * revoking the user's token also revokes what was exchanged from it.
   */
  subjectJti?: string | undefined;
}

/** A revocation source's verdict on a verified token (see `createRevocationFeed`). */
export type RevocationVerdict = 'revoked' | 'stale' | undefined;

export interface TokenVerifierOptions {
  issuer: string;
  /** Accepted `aud` values: this resource server's identifiers. */
  audiences: readonly string[];
  jwks: JwksClient;
  /** Leeway for `exp`, `nbf` and `iat`, in seconds (`AUTH_CLOCK_TOLERANCE_SECONDS`); 5 by default. */
  clockToleranceSec?: number | undefined;
  /** How many verified tokens to remember (until their expiry). */
  cacheSize?: number;
  /**
   * Only exchanged tokens whose actor (`act.sub`) is one of these are accepted; a token without
   * `act` (a user's own token, a client's client-credentials token) is refused. Leave out to
   * accept tokens without regard to an actor.
   */
  allowedActors?: readonly string[] | undefined;
  /**
   * Asked on every call, cached or not: `revoked` when the token (or the token it was exchanged
   * from) was revoked or its user disabled, `stale` when that cannot be known (fail closed).
   */
  revocation?: ((token: VerifiedToken) => RevocationVerdict) | undefined;
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
  const allowedActors = options.allowedActors ? new Set(options.allowedActors) : undefined;

  async function verifyUncached(token: string): Promise<VerifiedToken> {
    const decoded = decodeAccessToken(token);
    let key: Awaited<ReturnType<JwksClient['getKey']>>;
    try {
      key = await options.jwks.getKey(decoded.kid);
    } catch {
      throw new TokenError('signing keys are unavailable', 'keys_unavailable');
    }
    const payload = checkAccessToken(decoded, key, {
      issuer: options.issuer,
      audiences,
      now: now(),
      clockToleranceSec: options.clockToleranceSec,
    });
    const { sub, exp, jti, client_id, scope, sub_type, aud } = payload;
    const act = payload.act as { sub?: unknown } | undefined | null;
    const actor = act && typeof act.sub === 'string' ? act.sub : undefined;
    if (allowedActors && (actor === undefined || !allowedActors.has(actor)))
      throw new TokenError(
        actor === undefined ? 'token was not exchanged by an allowed actor' : `actor ${actor} is not allowed`,
        'actor_not_allowed',
      );
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
      actor,
      issuedAt: typeof payload.iat === 'number' ? payload.iat : undefined,
      subjectJti: typeof payload.subject_jti === 'string' ? payload.subject_jti : undefined,
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
      const verdict = options.revocation?.(v);
      if (verdict === 'revoked') throw new TokenError('token has been revoked', 'revoked');
      if (verdict === 'stale')
        throw new TokenError('the revocation list could not be refreshed in time', 'revocation_stale');
      return v;
    },
  };
}
