import { corsAllowlist } from '@mcp-langgraph/observability';
import { DEFAULT_SCOPES } from '@mcp-langgraph/protocol';
import {
  buildOAuthProtectedResourceMetadata,
  getOAuthProtectedResourceMetadataUrl,
  type OAuthProtectedResourceMetadata,
} from '@modelcontextprotocol/server';
import express, { type Router } from 'express';

export interface ResourceMetadataOptions {
  /** The MCP endpoint, `<public url>/mcp`: the RFC 8707 resource identifier. */
  resource: URL;
  /** The authorization server's issuer, as configured (already normalised). */
  issuer: string;
  /** Plain-HTTP issuers are refused outside local development. */
  allowInsecureIssuer: boolean;
}

/**
 * RFC 9728 protected-resource metadata for the MCP endpoint. Built with the SDK (which checks the
 * issuer URL) plus `bearer_methods_supported`: tokens are accepted in the header only.
 */
export function buildResourceMetadata(options: ResourceMetadataOptions): OAuthProtectedResourceMetadata {
  const { issuer } = options;
  const doc = buildOAuthProtectedResourceMetadata({
    // Only the issuer is read from the authorization server metadata here.
    oauthMetadata: {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      response_types_supported: ['code'],
    },
    resourceServerUrl: options.resource,
    scopesSupported: [...DEFAULT_SCOPES],
    resourceName: 'mcp-langgraph',
    dangerouslyAllowInsecureIssuerUrl: options.allowInsecureIssuer,
  });
  return {
    resource: doc.resource,
    authorization_servers: doc.authorization_servers,
    scopes_supported: doc.scopes_supported,
    bearer_methods_supported: ['header'],
    resource_name: doc.resource_name,
  };
}

/** The metadata URL advertised in `WWW-Authenticate` (the path-suffixed form). */
export function resourceMetadataUrl(resource: URL): string {
  return getOAuthProtectedResourceMetadataUrl(resource);
}

/**
 * Serves the document at the path-suffixed well-known URL and at the bare one: clients differ in
 * which they probe. Public and cacheable, with permissive CORS for browser-based clients.
 */
export function resourceMetadataRouter(doc: OAuthProtectedResourceMetadata): Router {
  const router = express.Router();
  const path = new URL(doc.resource).pathname;
  const paths = ['/.well-known/oauth-protected-resource'];
  if (path !== '/') paths.push(`/.well-known/oauth-protected-resource${path}`);
  const body = JSON.stringify(doc);
  const cors = corsAllowlist(['*']);
  router.options(paths, cors);
  router.get(paths, cors, (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.type('application/json').send(body);
  });
  return router;
}
