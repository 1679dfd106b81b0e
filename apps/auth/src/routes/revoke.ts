import { Router } from 'express';
import type { AuthContext } from '../context.js';
import { auditToken } from '../grants/grant.js';
import { revokeFamily } from '../grants/issue.js';
import type { AccessTokenClaims } from '../services/tokens.js';
import { authenticatedClient, clientAuthenticated } from './client-authenticated.js';
import { noStore } from './no-store.js';
import { findRefreshToken, presentedToken } from './presented-token.js';

/**
 * RFC 7009 revocation. A client may revoke its own refresh tokens (the whole family goes) and its
 * own access tokens (their `jti` is deny-listed until they expire). Unknown tokens answer 200 too.
 */
export function revokeRoutes(ctx: AuthContext): Router {
  const router = Router();
  router.post('/revoke', noStore, clientAuthenticated(ctx), async (req, res) => {
    const { client } = authenticatedClient(req);
    const token = presentedToken(req.body);
    const revoked = (subject: string, detail: Record<string, string>) =>
      auditToken(ctx, req, client, { event: 'token.revoked', outcome: 'success', subject, detail });
    const refresh = await findRefreshToken(ctx, token);
    if (refresh) {
      if (refresh.clientId === client.clientId) {
        await revokeFamily(ctx, refresh.familyId);
        await revoked(refresh.userId, { type: 'refresh_token', family: refresh.familyId });
      }
      res.status(200).end();
      return;
    }
    let claims: AccessTokenClaims | undefined;
    try {
      claims = ctx.tokens.verify(token, { ignoreExpiration: true });
    } catch {
      claims = undefined;
    }
    if (claims && claims.client_id === client.clientId && claims.exp > ctx.now()) {
      await ctx.revocations.deny(claims.jti, claims.exp);
      await revoked(claims.sub, { type: 'access_token', jti: claims.jti });
    }
    res.status(200).end();
  });
  return router;
}
