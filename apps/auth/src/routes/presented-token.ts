import { z } from 'zod';
import type { AuthContext } from '../context.js';
import { hashToken } from '../services/hashing.js';
import { readParams, requiredParam } from '../services/oauth-params.js';
import type { RefreshTokenRecord } from '../store/refresh.js';

const tokenParams = z.object({ token: requiredParam(8192) });

/** The `token` a client presents to revocation or introspection (RFC 7009 2.1, RFC 7662 2.1). */
export function presentedToken(body: unknown): string {
  return readParams(tokenParams, body).token;
}

/** The stored refresh token `token` is, if it is one; refresh tokens are short, access tokens are not. */
export function findRefreshToken(ctx: AuthContext, token: string): Promise<RefreshTokenRecord | undefined> {
  return token.length <= 512 ? ctx.refresh.find(hashToken(token)) : Promise.resolve(undefined);
}
