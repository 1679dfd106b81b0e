import { Router } from 'express';
import type { AuthContext } from '../context.js';
import { clientAuthenticated } from './client-authenticated.js';
import { noStore } from './no-store.js';

/**
 * The revocation feed resource servers poll, so a revoked access token or a disabled user's token
 * stops working everywhere within one polling interval instead of at its expiry. Lists the
 * deny-listed `jti`s that have not expired and the ids of disabled users. Confidential clients only.
 */
export function revocationFeedRoutes(ctx: AuthContext): Router {
  const router = Router();
  const confidential = clientAuthenticated(ctx, { confidential: { endpoint: 'the revocation feed' } });
  router.get('/revocations', noStore, confidential, async (_req, res) => {
    const now = ctx.now();
    const [jtis, subjects] = await Promise.all([ctx.revocations.listActive(now), ctx.users.disabledIds()]);
    res.json({ jtis, disabled_subjects: subjects, generated_at: now });
  });
  return router;
}
