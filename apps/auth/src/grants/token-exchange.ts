import { GRANT_TYPE, sameUrl, scopeNames, TOKEN_TYPE, toTier } from '@mcp-langgraph/protocol';
import { z } from 'zod';
import { oauthError } from '../services/oauth-error.js';
import { optionalParam, requiredParam } from '../services/oauth-params.js';
import { type AccessTokenClaims, InvalidTokenError } from '../services/tokens.js';
import { auditToken, defineGrant, grantScope, refusedGrant } from './grant.js';
import { accessTokenResponse } from './issue.js';

export const tokenExchangeParams = z.object({
  subject_token: requiredParam(8192),
  subject_token_type: requiredParam(200),
  requested_token_type: optionalParam(200),
  scope: optionalParam(1000),
  resource: optionalParam(),
  audience: optionalParam(),
  actor_token: optionalParam(8192),
});

/**
 * RFC 8693 token exchange: a confidential client allowed to exchange trades a user's access token
 * issued for it (the MCP edge) for one addressed to a downstream audience it may reach. The new
 * token keeps the subject and at most its scope, never outlives it, and names the actor in `act`.
 */
export const tokenExchangeGrant = defineGrant(tokenExchangeParams, async (ctx, req, client, p) => {
  if (p.actor_token !== undefined)
    throw oauthError(
      'invalid_request',
      'actor_token is not supported; the authenticated client is the actor',
    );
  if (!client.secretHash || !client.grantTypes.includes(GRANT_TYPE.tokenExchange))
    throw oauthError('unauthorized_client', 'this client may not exchange tokens');
  if (p.subject_token_type !== TOKEN_TYPE.accessToken)
    throw oauthError('invalid_request', 'subject_token_type must be an access token');
  if (p.requested_token_type !== undefined && p.requested_token_type !== TOKEN_TYPE.accessToken)
    throw oauthError('invalid_request', 'only access tokens can be requested');
  const target = p.resource ?? p.audience;
  if (!target) throw oauthError('invalid_target', 'resource is required');
  const audience = client.allowedAudiences.find((a) => sameUrl(a, target));
  if (!audience) throw oauthError('invalid_target', 'resource is not an audience this client may reach');

  let subject: AccessTokenClaims;
  try {
    subject = ctx.tokens.verify(p.subject_token);
  } catch (err) {
    const reason =
      err instanceof InvalidTokenError ? `subject_token: ${err.message}` : 'subject_token is invalid';
    throw refusedGrant(ctx, reason, 'invalid_token');
  }
  if (!ctx.settings.edgeAudiences.some((a) => sameUrl(a, subject.aud)))
    throw oauthError('invalid_grant', 'subject_token was not issued for the MCP endpoint');
  if (await ctx.revocations.isDenied(subject.jti))
    throw oauthError('invalid_grant', 'subject_token has been revoked');
  let tier = toTier(subject.tier);
  if (subject.sub_type === 'user') {
    const user = await ctx.users.findById(subject.sub);
    if (!user || user.disabled) throw oauthError('invalid_grant', 'the subject is no longer active');
    tier = user.tier;
  }
  const scope = grantScope(
    p.scope,
    scopeNames(subject.scope),
    { allowEmpty: true },
    'scope must be within the subject token scope',
  );
  const issued = ctx.tokens.issue({
    sub: subject.sub,
    subType: subject.sub_type,
    audience,
    clientId: client.clientId,
    scope,
    tier,
    username: subject.username,
    act: subject.act ? { sub: client.clientId, act: subject.act } : { sub: client.clientId },
    // The agent refuses this token as soon as the feed lists the user's token as revoked.
    subjectJti: subject.jti,
    notAfter: subject.exp,
  });
  if (issued.expiresIn <= 0) throw oauthError('invalid_grant', 'subject_token has expired');
  await auditToken(ctx, req, client, {
    event: 'token.issued',
    outcome: 'success',
    subject: subject.sub,
    detail: { grant: 'token_exchange', jti: issued.jti, aud: audience, subject_jti: subject.jti },
  });
  return { ...accessTokenResponse(issued), issued_token_type: TOKEN_TYPE.accessToken };
});
