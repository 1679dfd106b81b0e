import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Tier } from '../store/users.js';
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
      };
      const key = options.keys.current();
      const token = jwt.sign(claims, key.privateKey, {
        algorithm: 'ES256',
        header: { alg: 'ES256', typ: 'at+jwt', kid: key.kid },
      });
      return { token, jti, exp, expiresIn: exp - iat, claims };
    },

    /**
     * Checks a token this server issued: ES256 by a live key, `typ`, issuer, expiry and not-before.
     * `ignoreExpiration` serves revocation, where an expired token is simply nothing to do.
     */
    verify(token: string, opts: { ignoreExpiration?: boolean } = {}): AccessTokenClaims {
      if (token.length > 8192) throw new InvalidTokenError('token is too long');
      const decoded = jwt.decode(token, { complete: true });
      if (!decoded || typeof decoded.payload === 'string') throw new InvalidTokenError('token is not a JWT');
      const { header } = decoded;
      if (header.alg !== 'ES256') throw new InvalidTokenError('token algorithm is not accepted');
      if (
        typeof header.typ !== 'string' ||
        !['at+jwt', 'application/at+jwt'].includes(header.typ.toLowerCase())
      )
        throw new InvalidTokenError('token is not an access token');
      const key = header.kid ? options.keys.get(header.kid) : undefined;
      if (!key) throw new InvalidTokenError('token was signed by an unknown key');
      let payload: jwt.JwtPayload;
      try {
        payload = jwt.verify(token, key.publicKey, {
          algorithms: ['ES256'],
          issuer: options.issuer,
          clockTolerance: tolerance,
          clockTimestamp: Math.floor(options.now()),
          ignoreExpiration: opts.ignoreExpiration ?? false,
        }) as jwt.JwtPayload;
      } catch (err) {
        const name = (err as Error).name;
        if (name === 'TokenExpiredError') throw new InvalidTokenError('token has expired');
        if (name === 'NotBeforeError') throw new InvalidTokenError('token is not valid yet');
        throw new InvalidTokenError('token is not valid');
      }
      const c = payload as Partial<AccessTokenClaims>;
      if (
        typeof c.sub !== 'string' ||
        typeof c.aud !== 'string' ||
        typeof c.exp !== 'number' ||
        typeof c.jti !== 'string' ||
        typeof c.client_id !== 'string' ||
        typeof c.scope !== 'string' ||
        (c.sub_type !== 'user' && c.sub_type !== 'client')
      )
        throw new InvalidTokenError('token lacks required claims');
      return c as AccessTokenClaims;
    },
  };
}
