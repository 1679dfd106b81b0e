import { verify as cryptoVerify, type KeyObject } from 'node:crypto';

/**
 * The one implementation of RFC 9068 access-token checks, shared by the resource servers (keys
 * from the JWKS) and the authorization server itself (keys from its key ring). ES256 is the only
 * algorithm, so the signature is checked with node:crypto directly: no algorithm negotiation to
 * confuse, no DER conversion, one JSON parse per part.
 */

/**
 * Why a token was refused. Clients are told only that their token is invalid (the differences
 * would help an attacker probe); the reason goes to logs and `auth_failures_total{reason}`.
 */
export type TokenRefusal =
  | 'malformed_token'
  | 'unsupported_algorithm'
  | 'unknown_key'
  | 'bad_signature'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'expired'
  | 'not_yet_valid'
  | 'missing_claims'
  | 'actor_not_allowed'
  | 'revoked'
  | 'revocation_stale'
  | 'keys_unavailable';

export class TokenError extends Error {
  constructor(
    message: string,
    readonly reason: TokenRefusal = 'malformed_token',
  ) {
    super(message);
    this.name = 'TokenError';
  }
}

/** The order of P-256; a canonical ECDSA signature has `s` in the lower half. */
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const P256_HALF_N = P256_N >> 1n;

const N_BYTES = Buffer.from(P256_N.toString(16).padStart(64, '0'), 'hex');
const HALF_N_BYTES = Buffer.from(P256_HALF_N.toString(16).padStart(64, '0'), 'hex');

/**
 * Whether an ES256 signature (IEEE P1363, r||s) is canonical. For every valid signature (r, s) the
 * twin (r, n - s) verifies too; accepting only low `s` gives each token one signature, so a token
 * cannot be altered into a second valid spelling (a different cache key, deny-list string, log id).
 */
export function isLowS(signature: Uint8Array): boolean {
  // A byte-wise comparison of big-endian numbers: no big-integer work on the hot path.
  return signature.length === 64 && Buffer.compare(signature.subarray(32), HALF_N_BYTES) <= 0;
}

/**
 * The same JWT with its ES256 signature in canonical low-S form: signers (`jsonwebtoken` on
 * OpenSSL) produce high `s` half the time, and verifiers here accept only low `s`.
 */
export function canonicalEs256(jwt: string): string {
  const dot = jwt.lastIndexOf('.');
  const signature = Buffer.from(jwt.slice(dot + 1), 'base64url');
  if (signature.length !== 64 || isLowS(signature)) return jwt;
  // s' = n - s, big-endian byte by byte with a borrow (cheaper than big integers at signing rates).
  const low = Buffer.alloc(32);
  let borrow = 0;
  for (let i = 31; i >= 0; i--) {
    const d = N_BYTES[i]! - signature[32 + i]! - borrow;
    borrow = d < 0 ? 1 : 0;
    low[i] = d < 0 ? d + 256 : d;
  }
  return `${jwt.slice(0, dot + 1)}${Buffer.concat([signature.subarray(0, 32), low]).toString('base64url')}`;
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
  if (token.length > 8192) throw new TokenError('token is too long', 'malformed_token');
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
  if (header.alg !== 'ES256')
    throw new TokenError('token algorithm is not accepted', 'unsupported_algorithm');
  if (typeof header.typ !== 'string' || !AT_JWT.has(header.typ.toLowerCase()))
    throw new TokenError('token is not an access token', 'malformed_token');
  if (typeof header.kid !== 'string' || !header.kid)
    throw new TokenError('token has no key id', 'malformed_token');
  if (header.crit !== undefined)
    throw new TokenError('token uses unsupported critical headers', 'malformed_token');
  return { kid: header.kid, signingInput: `${h}.${p}`, signature: sig, payload: p };
}

/** Checks the signature with `key`, then issuer, audience, expiry, not-before and the required claims. */
export function checkAccessToken(
  decoded: DecodedAccessToken,
  key: KeyObject | undefined,
  options: AccessTokenCheckOptions,
): AccessTokenClaims {
  if (!key) throw new TokenError('token was signed by an unknown key', 'unknown_key');
  const signature = Buffer.from(decoded.signature, 'base64url');
  if (
    signature.length !== 64 ||
    !isLowS(signature) ||
    !cryptoVerify('sha256', Buffer.from(decoded.signingInput), { key, dsaEncoding: 'ieee-p1363' }, signature)
  )
    throw new TokenError('token signature is invalid', 'bad_signature');
  const c = parseJson(decoded.payload);
  if (!c) throw new TokenError('token is not a JWT');
  const tolerance = options.clockToleranceSec ?? 5;
  const t = Math.floor(options.now);
  if (c.iss !== options.issuer) throw new TokenError('token issuer invalid', 'wrong_issuer');
  const auds = Array.isArray(c.aud) ? c.aud : [c.aud];
  if (!auds.every((a) => typeof a === 'string') || auds.length === 0)
    throw new TokenError('token audience invalid', 'wrong_audience');
  if (options.audiences && !auds.some((a) => options.audiences!.includes(a as string)))
    throw new TokenError('token audience invalid', 'wrong_audience');
  if (typeof c.exp !== 'number') throw new TokenError('token has no expiry', 'missing_claims');
  if (!options.ignoreExpiration && c.exp + tolerance <= t)
    throw new TokenError('token has expired', 'expired');
  if (c.nbf !== undefined && (typeof c.nbf !== 'number' || c.nbf - tolerance > t))
    throw new TokenError('token is not valid yet', 'not_yet_valid');
  if (c.iat !== undefined && (typeof c.iat !== 'number' || c.iat - tolerance > t))
    throw new TokenError('token is not valid yet', 'not_yet_valid');
  if (typeof c.sub !== 'string' || !c.sub) throw new TokenError('token has no subject', 'missing_claims');
  if (typeof c.jti !== 'string' || typeof c.client_id !== 'string')
    throw new TokenError('token lacks jti or client_id', 'missing_claims');
  if (c.sub_type !== 'user' && c.sub_type !== 'client')
    throw new TokenError('token has no subject type', 'missing_claims');
  if (c.scope !== undefined && typeof c.scope !== 'string')
    throw new TokenError('token scope is malformed', 'malformed_token');
  return { ...c, scope: (c.scope as string | undefined) ?? '' } as AccessTokenClaims;
}
