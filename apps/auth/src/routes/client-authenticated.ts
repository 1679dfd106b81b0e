import type { Request, RequestHandler } from 'express';
import type { AuthContext } from '../context.js';
import type { AuthenticatedClient } from '../services/client-auth.js';
import { oauthError } from '../services/oauth-error.js';

declare global {
  namespace Express {
    interface Request {
      /** Set by `clientAuthenticated` for the handlers after it. */
      oauthClient?: AuthenticatedClient;
    }
  }
}

export interface ClientAuthenticatedOptions {
  /**
   * Refuse public clients (which only name themselves): for endpoints that disclose token state.
   * `endpoint` names it in the refusal ("introspection needs an authenticated client").
   */
  confidential?: { endpoint: string };
}

/**
 * Client authentication for the token, revocation, introspection and revocation-feed endpoints:
 * a refused client is counted once as `invalid_client` and answered 401 (RFC 6749 5.2).
 */
export function clientAuthenticated(
  ctx: AuthContext,
  options: ClientAuthenticatedOptions = {},
): RequestHandler {
  return async (req, _res, next) => {
    let authenticated: AuthenticatedClient;
    try {
      authenticated = await ctx.clientAuth.authenticate(req);
    } catch (err) {
      ctx.fail('invalid_client');
      throw err;
    }
    if (options.confidential && authenticated.method === 'none') {
      ctx.fail('invalid_client');
      throw oauthError(
        'invalid_client',
        `${options.confidential.endpoint} needs an authenticated client`,
        401,
      );
    }
    req.oauthClient = authenticated;
    next();
  };
}

/** The client `clientAuthenticated` admitted; a route without that middleware is a programming error. */
export function authenticatedClient(req: Request): AuthenticatedClient {
  if (!req.oauthClient) throw new Error('clientAuthenticated must run before this handler');
  return req.oauthClient;
}
