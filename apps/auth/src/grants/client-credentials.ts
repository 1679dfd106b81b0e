import type { Request } from 'express';
import type { AuthContext } from '../context.js';
import { oauthError, param } from '../services/oauth-error.js';
import { formatScope, isSubset, parseScope } from '../services/scopes.js';
import type { ClientRecord } from '../store/clients.js';
import { accessTokenResponse, type TokenResponse } from './issue.js';

const stripSlash = (s: string) => s.replace(/\/$/, '');

/** `client_credentials`: a confidential client acting as itself (`sub` = its client id). */
export async function clientCredentialsGrant(
  ctx: AuthContext,
  req: Request,
  client: ClientRecord,
): Promise<TokenResponse> {
  const scopeParam = param(req.body, 'scope', 1000);
  const resource = param(req.body, 'resource') ?? param(req.body, 'audience');
  if (!client.secretHash || !client.grantTypes.includes('client_credentials'))
    throw oauthError('unauthorized_client', 'this client may not use the client credentials grant');
  let scopes = client.scopes;
  if (scopeParam !== undefined) {
    const parsed = parseScope(scopeParam);
    if (parsed.unknown.length > 0 || !isSubset(parsed.scopes, client.scopes))
      throw oauthError('invalid_scope', 'the client may not request these scopes');
    if (parsed.scopes.length > 0) scopes = parsed.scopes;
  }
  const wanted = stripSlash(resource ?? ctx.settings.defaultResource);
  const audience = [...ctx.settings.edgeAudiences, ...client.allowedAudiences].find(
    (a) => stripSlash(a) === wanted,
  );
  if (!audience) throw oauthError('invalid_target', 'resource is not an audience this client may reach');
  const issued = ctx.tokens.issue({
    sub: client.clientId,
    subType: 'client',
    audience,
    clientId: client.clientId,
    scope: formatScope(scopes),
    tier: client.tier,
  });
  await ctx.audit.record({
    event: 'token.issued',
    outcome: 'success',
    subject: client.clientId,
    clientId: client.clientId,
    ip: req.ip,
    detail: { grant: 'client_credentials', jti: issued.jti, aud: audience },
  });
  return accessTokenResponse(issued);
}
