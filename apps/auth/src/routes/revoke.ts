import { Router } from 'express';
import type { AuthContext } from '../context.js';
import { revokeFamily } from '../grants/issue.js';
import { hashToken } from '../services/hashing.js';
import { requiredParam } from '../services/oauth-error.js';

/**
 * RFC 7009 revocation. A client may revoke its own refresh tokens (the whole family goes) and its
 * own access tokens (their `jti` is deny-listed until they expire). Unknown tokens answer 200 too.
 */
export function revokeRoutes(ctx: AuthContext): Router {
  const router = Router();
  router.post('/revoke', async (req, res) => {
    res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    const { client } = await ctx.clientAuth.authenticate(req).catch((err) => {
      ctx.failures.inc({ reason: 'invalid_client' });
      throw err;
    });
    const token = requiredParam(req.body, 'token', 8192);
    const refresh = token.length <= 512 ? await ctx.refresh.find(hashToken(token)) : undefined;
    if (refresh) {
      if (refresh.clientId === client.clientId) {
        await revokeFamily(ctx, refresh.familyId);
        await ctx.audit.record({
          event: 'token.revoked',
          outcome: 'success',
          subject: refresh.userId,
          clientId: client.clientId,
          ip: req.ip,
          detail: { type: 'refresh_token', family: refresh.familyId },
        });
      }
      res.status(200).end();
      return;
    }
    let claims: ReturnType<typeof ctx.tokens.verify> | undefined;
    try {
      claims = ctx.tokens.verify(token, { ignoreExpiration: true });
    } catch {
      claims = undefined;
    }
    if (claims && claims.client_id === client.clientId && claims.exp > ctx.now()) {
      await ctx.revocations.deny(claims.jti, claims.exp);
      await ctx.audit.record({
        event: 'token.revoked',
        outcome: 'success',
        subject: claims.sub,
        clientId: client.clientId,
        ip: req.ip,
        detail: { type: 'access_token', jti: claims.jti },
      });
    }
    res.status(200).end();
  });
  return router;
}
