import { GRANT_TYPE, sameUrl } from '@mcp-langgraph/protocol';
import { z } from 'zod';
import { oauthError } from '../services/oauth-error.js';
import { optionalParam } from '../services/oauth-params.js';
import { auditToken, defineGrant, grantScope } from './grant.js';
import { accessTokenResponse } from './issue.js';

export const clientCredentialsParams = z.object({
  scope: optionalParam(1000),
  resource: optionalParam(),
  audience: optionalParam(),
});

/** `client_credentials`: a confidential client acting as itself (`sub` = its client id). */
export const clientCredentialsGrant = defineGrant(clientCredentialsParams, async (ctx, req, client, p) => {
  if (!client.secretHash || !client.grantTypes.includes(GRANT_TYPE.clientCredentials))
    throw oauthError('unauthorized_client', 'this client may not use the client credentials grant');
  const scope = grantScope(
    p.scope,
    client.scopes,
    { allowEmpty: true },
    'the client may not request these scopes',
  );
  const wanted = p.resource ?? p.audience ?? ctx.settings.defaultResource;
  const audience = [...ctx.settings.edgeAudiences, ...client.allowedAudiences].find((a) =>
    sameUrl(a, wanted),
  );
  if (!audience) throw oauthError('invalid_target', 'resource is not an audience this client may reach');
  const issued = ctx.tokens.issue({
    sub: client.clientId,
    subType: 'client',
    audience,
    clientId: client.clientId,
    scope,
    tier: client.tier,
  });
  await auditToken(ctx, req, client, {
    event: 'token.issued',
    outcome: 'success',
    subject: client.clientId,
    detail: { grant: 'client_credentials', jti: issued.jti, aud: audience },
  });
  return accessTokenResponse(issued);
});
