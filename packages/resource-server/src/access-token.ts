import { verify as cryptoVerify, type KeyObject } from 'node:crypto';

/**
 * The one implementation of RFC 9068 access-token checks, shared by the resource servers (keys
 * from the JWKS) and the authorization server itself (keys from its key ring). ES256 is the only
 * algorithm, so the signature is checked with node:crypto directly: no algorithm negotiation to
 * confuse, no DER conversion, one JSON parse per part.
 */

export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

/** The claims every access token of this platform carries once checked. */
export interface AccessTokenClaims extends Record<string, unknown> {
  iss: string;
  sub: string;
  sub_type: 'user' | 'client';
  aud: string | string[];
  exp: number;
  jti: string;
  client_id: string;
  scope: string;
}

/** A token split and its header read; the signature is not checked yet. */
export interface DecodedAccessToken {
  kid: string;
  signingInput: string;
  signature: string;
  payload: string;
}

export interface AccessTokenCheckOptions {
  issuer: string;
  /** Accepted `aud` values; leave out to accept any audience (the authorization server's own view). */
  audiences?: readonly string[];
  /** Seconds since the epoch. */
  now: number;
  clockToleranceSec?: number;
  /** For revocation only: an expired token is still recognised. */
  ignoreExpiration?: boolean;
}

const AT_JWT = new Set(['at+jwt', 'application/at+jwt']);
const B64URL = /^[A-Za-z0-9_-]+$/;
const B64URL_OR_EMPTY = /^[A-Za-z0-9_-]*$/;

function parseJson(part: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Splits the token and checks its header: ES256, `typ` at+jwt, a `kid`, no critical extensions. */
export function decodeAccessToken(token: string): DecodedAccessToken {
  if (token.length > 8192) throw new TokenError('token is too long');
  const parts = token.split('.');
  if (
    parts.length !== 3 ||
    !B64URL.test(parts[0]!) ||
    !B64URL.test(parts[1]!) ||
    !B64URL_OR_EMPTY.test(parts[2]!)
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
  return { kid: header.kid, signingInput: `${h}.${p}`, signature: sig, payload: p };
}

/** Checks the signature with `key`, then issuer, audience, expiry, not-before and the required claims. */
export function checkAccessToken(
  decoded: DecodedAccessToken,
  key: KeyObject | undefined,
  options: AccessTokenCheckOptions,
): AccessTokenClaims {
  if (!key) throw new TokenError('token was signed by an unknown key');
  const signature = Buffer.from(decoded.signature, 'base64url');
  if (
    signature.length !== 64 ||
    !cryptoVerify('sha256', Buffer.from(decoded.signingInput), { key, dsaEncoding: 'ieee-p1363' }, signature)
  )
    throw new TokenError('token signature is invalid');
  const c = parseJson(decoded.payload);
  if (!c) throw new TokenError('token is not a JWT');
  const tolerance = options.clockToleranceSec ?? 5;
  const t = Math.floor(options.now);
  if (c.iss !== options.issuer) throw new TokenError('token issuer invalid');
  const auds = Array.isArray(c.aud) ? c.aud : [c.aud];
  if (!auds.every((a) => typeof a === 'string') || auds.length === 0)
    throw new TokenError('token audience invalid');
  if (options.audiences && !auds.some((a) => options.audiences!.includes(a as string)))
    throw new TokenError('token audience invalid');
  if (typeof c.exp !== 'number') throw new TokenError('token has no expiry');
  if (!options.ignoreExpiration && c.exp + tolerance <= t) throw new TokenError('token has expired');
  if (c.nbf !== undefined && (typeof c.nbf !== 'number' || c.nbf - tolerance > t))
    throw new TokenError('token is not valid yet');
  if (c.iat !== undefined && (typeof c.iat !== 'number' || c.iat - tolerance > t))
    throw new TokenError('token is not valid yet');
  if (typeof c.sub !== 'string' || !c.sub) throw new TokenError('token has no subject');
  if (typeof c.jti !== 'string' || typeof c.client_id !== 'string')
    throw new TokenError('token lacks jti or client_id');
  if (c.sub_type !== 'user' && c.sub_type !== 'client') throw new TokenError('token has no subject type');
  if (c.scope !== undefined && typeof c.scope !== 'string') throw new TokenError('token scope is malformed');
  return { ...c, scope: (c.scope as string | undefined) ?? '' } as AccessTokenClaims;
}
