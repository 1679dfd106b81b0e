import { randomUUID } from 'node:crypto';
import { DEFAULT_SCOPES, formatScope, GRANT_TYPE, parseScope } from '@mcp-langgraph/protocol';
import { Router } from 'express';
import { z } from 'zod';
import type { AuthContext } from '../context.js';
import { impersonatesFirstParty } from '../services/client-names.js';
import { oauthError } from '../services/oauth-error.js';
import { isAcceptableRedirectUri, PUBLIC_CLIENT_GRANTS } from '../services/redirect-uris.js';
import { noStore } from './no-store.js';

const metadataSchema = z.object({
  redirect_uris: z.array(z.string().max(2000)).min(1).max(10),
  client_name: z.string().max(200).optional(),
  token_endpoint_auth_method: z.string().max(100).optional(),
  grant_types: z.array(z.string().max(100)).max(10).optional(),
  response_types: z.array(z.string().max(100)).max(10).optional(),
  scope: z.string().max(1000).optional(),
});

/** Registrations one client address may make per window; counted in the store, so replicas agree. */
const REGISTRATIONS_PER_WINDOW = 20;
const REGISTRATION_WINDOW_SECONDS = 3600;

/**
 * RFC 7591 dynamic registration, for public clients only (PKCE, no secret). A client that
 * registers again with the same metadata simply gets another client id, up to a limit per client
 * address; a name that passes for a first-party client's is refused.
 */
export function registerRoutes(ctx: AuthContext): Router {
  const router = Router();
  router.post('/register', noStore, async (req, res) => {
    const parsed = metadataSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path.join('.') || 'body';
      const code = field.startsWith('redirect_uris') ? 'invalid_redirect_uri' : 'invalid_client_metadata';
      throw oauthError(code, `${field} is missing or malformed`);
    }
    const m = parsed.data;
    const bad = m.redirect_uris.find((u) => !isAcceptableRedirectUri(u));
    if (bad !== undefined)
      throw oauthError('invalid_redirect_uri', 'redirect URIs must use https, or http on a loopback address');
    const grants = m.grant_types ?? [...PUBLIC_CLIENT_GRANTS];
    if (
      !grants.includes(GRANT_TYPE.authorizationCode) ||
      grants.some((g) => !PUBLIC_CLIENT_GRANTS.includes(g))
    )
      throw oauthError(
        'invalid_client_metadata',
        'grant_types may only be authorization_code and refresh_token',
      );
    if (m.response_types?.some((t) => t !== 'code'))
      throw oauthError('invalid_client_metadata', 'response_types may only be code');
    const scope = parseScope(m.scope);
    if (scope.unknown.length > 0 || scope.scopes.some((s) => !DEFAULT_SCOPES.includes(s as never)))
      throw oauthError('invalid_client_metadata', 'scope names a scope not available to registered clients');
    const scopes = scope.scopes.length > 0 ? scope.scopes : [...DEFAULT_SCOPES];
    const name = (m.client_name ?? '').trim() || 'Unnamed client';
    if (impersonatesFirstParty(name, await ctx.clients.firstPartyNames()))
      throw oauthError('invalid_client_metadata', 'client_name is reserved for a client of this platform');
    // Only requests that would create a client count, so a client correcting its metadata is not
    // held back by its own mistakes.
    const hits = await ctx.rateLimits.hit(`register:${req.ip ?? 'unknown'}`, REGISTRATION_WINDOW_SECONDS);
    if (hits.count > REGISTRATIONS_PER_WINDOW)
      throw oauthError(
        'temporarily_unavailable',
        'too many registrations from this address; try again later',
        429,
        {
          'Retry-After': String(Math.max(1, hits.resetAt - Math.floor(ctx.now()))),
        },
      );
    // Registered clients are public: whatever method was asked for, RFC 7591 3.2.1 lets the server
    // answer with the one it applies, and the client must follow it.
    const client = await ctx.clients.create({
      clientId: randomUUID(),
      secretHash: null,
      name,
      redirectUris: m.redirect_uris,
      grantTypes: grants.includes(GRANT_TYPE.refreshToken) ? grants : [...grants, GRANT_TYPE.refreshToken],
      authMethod: 'none',
      scopes,
      allowedAudiences: [],
      tier: 'free',
      firstParty: false,
    });
    await ctx.audit.record({
      event: 'client.registered',
      outcome: 'success',
      clientId: client.clientId,
      ip: req.ip,
      detail: { name: client.name },
    });
    res.status(201).json({
      client_id: client.clientId,
      client_id_issued_at: Math.floor(client.createdAt),
      client_name: client.name,
      redirect_uris: client.redirectUris,
      grant_types: client.grantTypes,
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      scope: formatScope(client.scopes),
    });
  });
  return router;
}
