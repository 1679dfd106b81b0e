import type { Request } from 'express';
import type { AuthContext } from '../context.js';
import { oauthError, param, requiredParam } from '../services/oauth-error.js';
import { formatScope, isSubset, parseScope } from '../services/scopes.js';
import { type AccessTokenClaims, InvalidTokenError } from '../services/tokens.js';
import type { ClientRecord } from '../store/clients.js';
import { toTier } from '../store/users.js';
import { accessTokenResponse, type TokenResponse } from './issue.js';

export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

const stripSlash = (s: string) => s.replace(/\/$/, '');

/**
 * RFC 8693 token exchange: a confidential client allowed to exchange trades a user's access token
 * issued for it (the MCP edge) for one addressed to a downstream audience it may reach. The new
 * token keeps the subject and at most its scope, never outlives it, and names the actor in `act`.
 */
export async function tokenExchangeGrant(
  ctx: AuthContext,
  req: Request,
  client: ClientRecord,
): Promise<TokenResponse> {
  const subjectToken = requiredParam(req.body, 'subject_token', 8192);
  const subjectType = requiredParam(req.body, 'subject_token_type', 200);
  const requestedType = param(req.body, 'requested_token_type', 200);
  const scopeParam = param(req.body, 'scope', 1000);
  const target = param(req.body, 'resource') ?? param(req.body, 'audience');
  if (param(req.body, 'actor_token', 8192) !== undefined)
    throw oauthError(
      'invalid_request',
      'actor_token is not supported; the authenticated client is the actor',
    );
  if (!client.secretHash || !client.grantTypes.includes(TOKEN_EXCHANGE))
    throw oauthError('unauthorized_client', 'this client may not exchange tokens');
  if (subjectType !== ACCESS_TOKEN_TYPE)
    throw oauthError('invalid_request', 'subject_token_type must be an access token');
  if (requestedType !== undefined && requestedType !== ACCESS_TOKEN_TYPE)
    throw oauthError('invalid_request', 'only access tokens can be requested');
  if (!target) throw oauthError('invalid_target', 'resource is required');
  const audience = client.allowedAudiences.find((a) => stripSlash(a) === stripSlash(target));
  if (!audience) throw oauthError('invalid_target', 'resource is not an audience this client may reach');

  let subject: AccessTokenClaims;
  try {
    subject = ctx.tokens.verify(subjectToken);
  } catch (err) {
    ctx.failures.inc({ reason: 'invalid_token' });
    throw oauthError(
      'invalid_grant',
      err instanceof InvalidTokenError ? `subject_token: ${err.message}` : 'subject_token is invalid',
    );
  }
  if (!ctx.settings.edgeAudiences.some((a) => stripSlash(a) === stripSlash(subject.aud)))
    throw oauthError('invalid_grant', 'subject_token was not issued for the MCP endpoint');
  if (await ctx.revocations.isDenied(subject.jti))
    throw oauthError('invalid_grant', 'subject_token has been revoked');
  let tier = toTier(subject.tier ?? 'free');
  if (subject.sub_type === 'user') {
    const user = await ctx.users.findById(subject.sub);
    if (!user || user.disabled) throw oauthError('invalid_grant', 'the subject is no longer active');
    tier = user.tier;
  }
  const subjectScopes = subject.scope.split(' ').filter(Boolean);
  let scopes = subjectScopes;
  if (scopeParam !== undefined) {
    const parsed = parseScope(scopeParam);
    if (parsed.unknown.length > 0 || !isSubset(parsed.scopes, subjectScopes))
      throw oauthError('invalid_scope', 'scope must be within the subject token scope');
    if (parsed.scopes.length > 0) scopes = parsed.scopes;
  }
  const issued = ctx.tokens.issue({
    sub: subject.sub,
    subType: subject.sub_type,
    audience,
    clientId: client.clientId,
    scope: formatScope(scopes),
    tier,
    username: subject.username,
    act: subject.act ? { sub: client.clientId, act: subject.act } : { sub: client.clientId },
    notAfter: subject.exp,
  });
  if (issued.expiresIn <= 0) throw oauthError('invalid_grant', 'subject_token has expired');
  await ctx.audit.record({
    event: 'token.issued',
    outcome: 'success',
    subject: subject.sub,
    clientId: client.clientId,
    ip: req.ip,
    detail: { grant: 'token_exchange', jti: issued.jti, aud: audience, subject_jti: subject.jti },
  });
  return { ...accessTokenResponse(issued), issued_token_type: ACCESS_TOKEN_TYPE };
}
