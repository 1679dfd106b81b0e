import { Router } from 'express';
import type { AuthContext } from '../context.js';
import { oauthError } from '../services/oauth-error.js';

/**
 * The revocation feed resource servers poll, so a revoked access token or a disabled user's token
 * stops working everywhere within one polling interval instead of at its expiry. Lists the
 * deny-listed `jti`s that have not expired and the ids of disabled users. Confidential clients only.
 */
export function revocationFeedRoutes(ctx: AuthContext): Router {
  const router = Router();
  router.get('/revocations', async (req, res) => {
    res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    const { method } = await ctx.clientAuth.authenticate(req).catch((err) => {
      ctx.failures.inc({ reason: 'invalid_client' });
      throw err;
    });
    if (method === 'none') {
      ctx.failures.inc({ reason: 'invalid_client' });
      throw oauthError('invalid_client', 'the revocation feed needs an authenticated client', 401);
    }
    const now = ctx.now();
    const [jtis, subjects] = await Promise.all([ctx.revocations.listActive(now), ctx.users.disabledIds()]);
    res.json({ jtis, disabled_subjects: subjects, generated_at: now });
  });
  return router;
}
