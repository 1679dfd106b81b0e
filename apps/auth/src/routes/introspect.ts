import { Router } from 'express';
import type { AuthContext } from '../context.js';
import { hashToken } from '../services/hashing.js';
import { oauthError, requiredParam } from '../services/oauth-error.js';

/**
 * RFC 7662 introspection, for authenticated confidential clients only. Access tokens are active
 * while valid, not revoked and their user not disabled; refresh tokens only to their own client.
 */
export function introspectRoutes(ctx: AuthContext): Router {
  const router = Router();
  router.post('/introspect', async (req, res) => {
    res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    const { client, method } = await ctx.clientAuth.authenticate(req).catch((err) => {
      ctx.failures.inc({ reason: 'invalid_client' });
      throw err;
    });
    if (method === 'none') {
      ctx.failures.inc({ reason: 'invalid_client' });
      throw oauthError('invalid_client', 'introspection needs an authenticated client', 401);
    }
    const token = requiredParam(req.body, 'token', 8192);
    const inactive = { active: false };

    const refresh = token.length <= 512 ? await ctx.refresh.find(hashToken(token)) : undefined;
    if (refresh) {
      const now = ctx.now();
      const user = await ctx.users.findById(refresh.userId);
      const active =
        refresh.clientId === client.clientId &&
        refresh.usedAt === null &&
        refresh.revokedAt === null &&
        refresh.expiresAt > now &&
        refresh.familyExpiresAt > now &&
        user !== undefined &&
        !user.disabled;
      if (!active || !user) return void res.json(inactive);
      return void res.json({
        active: true,
        token_type: 'refresh_token',
        scope: refresh.scope,
        client_id: refresh.clientId,
        sub: user.id,
        username: user.username,
        iat: refresh.createdAt,
        exp: refresh.expiresAt,
        iss: ctx.settings.issuer,
      });
    }

    let claims: ReturnType<typeof ctx.tokens.verify>;
    try {
      claims = ctx.tokens.verify(token);
    } catch {
      return void res.json(inactive);
    }
    if (await ctx.revocations.isDenied(claims.jti)) return void res.json(inactive);
    if (claims.sub_type === 'user') {
      const user = await ctx.users.findById(claims.sub);
      if (!user || user.disabled) return void res.json(inactive);
    } else {
      const owner = await ctx.clients.get(claims.sub);
      if (!owner || owner.disabled) return void res.json(inactive);
    }
    res.json({ active: true, token_type: 'Bearer', ...claims });
  });
  return router;
}
