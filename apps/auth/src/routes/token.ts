import { GRANT_TYPE } from '@mcp-langgraph/protocol';
import { type RequestHandler, Router } from 'express';
import { z } from 'zod';
import type { AuthContext } from '../context.js';
import { authorizationCodeGrant } from '../grants/authorization-code.js';
import { clientCredentialsGrant } from '../grants/client-credentials.js';
import type { Grant } from '../grants/grant.js';
import { refreshTokenGrant } from '../grants/refresh-token.js';
import { tokenExchangeGrant } from '../grants/token-exchange.js';
import { oauthError } from '../services/oauth-error.js';
import { readParams, requiredParam } from '../services/oauth-params.js';
import { authenticatedClient, clientAuthenticated } from './client-authenticated.js';
import { noStore } from './no-store.js';

const GRANTS: Record<string, Grant> = {
  [GRANT_TYPE.authorizationCode]: authorizationCodeGrant,
  [GRANT_TYPE.refreshToken]: refreshTokenGrant,
  [GRANT_TYPE.clientCredentials]: clientCredentialsGrant,
  [GRANT_TYPE.tokenExchange]: tokenExchangeGrant,
};

export const GRANT_TYPES = Object.keys(GRANTS);

const grantTypeParams = z.object({ grant_type: requiredParam(200) });

/**
 * The body's type and the grant it names are checked before the client is, so a malformed request
 * is a 400 whoever sends it; the grant's own parameters only once the client is known.
 */
const grantRequested: RequestHandler = (req, res, next) => {
  if (!req.is('application/x-www-form-urlencoded') && !req.is('application/json'))
    throw oauthError('invalid_request', 'the body must be application/x-www-form-urlencoded');
  const { grant_type } = readParams(grantTypeParams, req.body);
  const grant = Object.hasOwn(GRANTS, grant_type) ? GRANTS[grant_type] : undefined;
  if (!grant) throw oauthError('unsupported_grant_type', 'this grant type is not supported');
  res.locals.grant = grant;
  next();
};

/** `POST /token`: every grant answers JSON that no cache may keep. */
export function tokenRoutes(ctx: AuthContext): Router {
  const router = Router();
  router.post('/token', noStore, grantRequested, clientAuthenticated(ctx), async (req, res) => {
    const grant = res.locals.grant as Grant;
    const { client } = authenticatedClient(req);
    const params = readParams(grant.params, req.body);
    // A client may use only the grants it is registered for (the agent's client has none at all).
    if (!client.grantTypes.includes(req.body.grant_type))
      throw oauthError('unauthorized_client', 'this client may not use this grant type');
    res.json(await grant.run(ctx, req, client, params));
  });
  return router;
}
