import { randomUUID } from 'node:crypto';
import type { Tier } from '@mcp-langgraph/protocol';
import {
  canonicalEs256,
  checkAccessToken,
  decodeAccessToken,
  TokenError,
} from '@mcp-langgraph/resource-server';
import jwt from 'jsonwebtoken';
import type { KeyRing } from './keys.js';

/** The claims of an access token (RFC 9068 profile plus this platform's private claims). */
export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  client_id: string;
  scope: string;
  sub_type: 'user' | 'client';
  tier: Tier;
  username?: string;
  act?: { sub: string; act?: unknown };
  /** On an exchanged token: the `jti` of the token it was exchanged from, so revoking that one revokes it. */
  subject_jti?: string;
}

export interface IssueInput {
  sub: string;
  subType: 'user' | 'client';
  audience: string;
  clientId: string;
  scope: string;
  tier: Tier;
  username?: string | undefined;
  act?: AccessTokenClaims['act'] | undefined;
  subjectJti?: string | undefined;
  /** Latest allowed expiry (an exchanged token never outlives its subject token). */
  notAfter?: number | undefined;
}

export interface IssuedToken {
  token: string;
  jti: string;
  exp: number;
  expiresIn: number;
  claims: AccessTokenClaims;
}

export class InvalidTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

export interface TokenServiceOptions {
  keys: KeyRing;
  issuer: string;
  accessTokenTtl: number;
  now: () => number;
  clockToleranceSec?: number;
}

export type TokenService = ReturnType<typeof createTokenService>;

/** Signs and checks this server's ES256 access tokens. */
export function createTokenService(options: TokenServiceOptions) {
  const tolerance = options.clockToleranceSec ?? 5;
  return {
    issue(input: IssueInput): IssuedToken {
      const iat = Math.floor(options.now());
      const exp = Math.min(iat + options.accessTokenTtl, input.notAfter ?? Number.POSITIVE_INFINITY);
      const jti = randomUUID();
      const claims: AccessTokenClaims = {
        iss: options.issuer,
        sub: input.sub,
        aud: input.audience,
        exp,
        iat,
        nbf: iat,
        jti,
        client_id: input.clientId,
        scope: input.scope,
        sub_type: input.subType,
        tier: input.tier,
        ...(input.username !== undefined ? { username: input.username } : {}),
        ...(input.act ? { act: input.act } : {}),
        ...(input.subjectJti !== undefined ? { subject_jti: input.subjectJti } : {}),
      };
      const key = options.keys.current();
      // Verifiers accept only the low-S form of an ES256 signature (no malleable twins).
      const token = canonicalEs256(
        jwt.sign(claims, key.privateKey, {
          algorithm: 'ES256',
          header: { alg: 'ES256', typ: 'at+jwt', kid: key.kid },
        }),
      );
      return { token, jti, exp, expiresIn: exp - iat, claims };
    },

    /**
     * Checks a token this server issued, with the same checks the resource servers apply
     * (`@mcp-langgraph/resource-server`) and the key ring instead of the JWKS. `ignoreExpiration`
     * serves revocation, where an expired token is simply nothing to do.
     */
    verify(token: string, opts: { ignoreExpiration?: boolean } = {}): AccessTokenClaims {
      try {
        const decoded = decodeAccessToken(token);
        const claims = checkAccessToken(decoded, options.keys.get(decoded.kid)?.publicKey, {
          issuer: options.issuer,
          now: options.now(),
          clockToleranceSec: tolerance,
          ignoreExpiration: opts.ignoreExpiration ?? false,
        });
        // This server only issues single-audience tokens.
        if (typeof claims.aud !== 'string') throw new TokenError('token audience invalid', 'wrong_audience');
        return claims as unknown as AccessTokenClaims;
      } catch (err) {
        throw err instanceof TokenError ? new InvalidTokenError(err.message) : err;
      }
    },
  };
}
