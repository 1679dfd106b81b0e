import { Router } from 'express';
import type { AuthContext } from '../context.js';
import { authorizationCodeGrant } from '../grants/authorization-code.js';
import { clientCredentialsGrant } from '../grants/client-credentials.js';
import { refreshTokenGrant } from '../grants/refresh-token.js';
import { TOKEN_EXCHANGE, tokenExchangeGrant } from '../grants/token-exchange.js';
import { oauthError, requiredParam } from '../services/oauth-error.js';

const GRANTS = {
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  client_credentials: clientCredentialsGrant,
  [TOKEN_EXCHANGE]: tokenExchangeGrant,
} as const;

export const GRANT_TYPES = Object.keys(GRANTS);

/** `POST /token`: every grant answers JSON that no cache may keep. */
export function tokenRoutes(ctx: AuthContext): Router {
  const router = Router();
  router.post('/token', async (req, res) => {
    res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    if (!req.is('application/x-www-form-urlencoded') && !req.is('application/json'))
      throw oauthError('invalid_request', 'the body must be application/x-www-form-urlencoded');
    const grantType = requiredParam(req.body, 'grant_type', 200);
    const grant = Object.hasOwn(GRANTS, grantType) ? GRANTS[grantType as keyof typeof GRANTS] : undefined;
    if (!grant) throw oauthError('unsupported_grant_type', 'this grant type is not supported');
    let client: Awaited<ReturnType<typeof ctx.clientAuth.authenticate>>;
    try {
      client = await ctx.clientAuth.authenticate(req);
    } catch (err) {
      ctx.failures.inc({ reason: 'invalid_client' });
      throw err;
    }
    res.json(await grant(ctx, req, client.client));
  });
  return router;
}
