import { SCOPES } from '@mcp-langgraph/protocol';
import { type RequestHandler, Router } from 'express';
import type { AuthContext } from '../context.js';
import { GRANT_TYPES } from './token.js';

/** The RFC 8414 document; also served as OpenID discovery for clients that only look there. */
export function serverMetadata(ctx: AuthContext) {
  const iss = ctx.settings.issuer;
  const auth = ['client_secret_basic', 'client_secret_post'];
  return {
    issuer: iss,
    authorization_endpoint: `${iss}/authorize`,
    token_endpoint: `${iss}/token`,
    registration_endpoint: `${iss}/register`,
    revocation_endpoint: `${iss}/revoke`,
    introspection_endpoint: `${iss}/introspect`,
    jwks_uri: `${iss}/.well-known/jwks.json`,
    scopes_supported: [...SCOPES],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: GRANT_TYPES,
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none', ...auth],
    revocation_endpoint_auth_methods_supported: ['none', ...auth],
    introspection_endpoint_auth_methods_supported: auth,
    authorization_response_iss_parameter_supported: true,
    client_id_metadata_document_supported: ctx.settings.clientMetadataDocuments,
    resource_indicators_supported: true,
    subject_types_supported: ['public'],
  };
}

export function metadataRoutes(ctx: AuthContext): Router {
  const router = Router();
  const send: RequestHandler = (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(serverMetadata(ctx));
  };
  router.get('/.well-known/oauth-authorization-server', send);
  router.get('/.well-known/openid-configuration', send);
  router.get('/.well-known/jwks.json', (_req, res) => {
    // Short caching: a rotated key must reach resource servers well within a token lifetime.
    res.set('Cache-Control', 'public, max-age=60').json(ctx.keys.jwks());
  });
  return router;
}
