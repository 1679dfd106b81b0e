import { Router } from 'express';
import type { AuthContext } from '../context.js';
import type { AccessTokenClaims } from '../services/tokens.js';
import type { RefreshTokenRecord } from '../store/refresh.js';
import { authenticatedClient, clientAuthenticated } from './client-authenticated.js';
import { noStore } from './no-store.js';
import { findRefreshToken, presentedToken } from './presented-token.js';

const INACTIVE = { active: false } as const;

/**
 * RFC 7662 introspection, for authenticated confidential clients only. Access tokens are active
 * while valid, not revoked and their user not disabled; refresh tokens only to their own client.
 */
export function introspectRoutes(ctx: AuthContext): Router {
  const router = Router();

  async function describeRefresh(refresh: RefreshTokenRecord, clientId: string) {
    const now = ctx.now();
    const user = await ctx.users.findById(refresh.userId);
    const active =
      refresh.clientId === clientId &&
      refresh.usedAt === null &&
      refresh.revokedAt === null &&
      refresh.expiresAt > now &&
      refresh.familyExpiresAt > now &&
      user !== undefined &&
      !user.disabled;
    if (!active || !user) return INACTIVE;
    return {
      active: true,
      token_type: 'refresh_token',
      scope: refresh.scope,
      client_id: refresh.clientId,
      sub: user.id,
      username: user.username,
      iat: refresh.createdAt,
      exp: refresh.expiresAt,
      iss: ctx.settings.issuer,
    };
  }

  async function describeAccess(token: string) {
    let claims: AccessTokenClaims;
    try {
      claims = ctx.tokens.verify(token);
    } catch {
      return INACTIVE;
    }
    if (await ctx.revocations.isDenied(claims.jti)) return INACTIVE;
    const owner =
      claims.sub_type === 'user' ? await ctx.users.findById(claims.sub) : await ctx.clients.get(claims.sub);
    if (!owner || owner.disabled) return INACTIVE;
    return { active: true, token_type: 'Bearer', ...claims };
  }

  const confidential = clientAuthenticated(ctx, { confidential: { endpoint: 'introspection' } });
  router.post('/introspect', noStore, confidential, async (req, res) => {
    const { client } = authenticatedClient(req);
    const token = presentedToken(req.body);
    const refresh = await findRefreshToken(ctx, token);
    res.json(refresh ? await describeRefresh(refresh, client.clientId) : await describeAccess(token));
  });
  return router;
}
