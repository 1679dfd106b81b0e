import { GRANT_TYPE, sameUrl, scopeNames } from '@mcp-langgraph/protocol';
import { z } from 'zod';
import { hashToken } from '../services/hashing.js';
import { oauthError } from '../services/oauth-error.js';
import { optionalParam, requiredParam } from '../services/oauth-params.js';
import { auditToken, defineGrant, grantScope, refusedGrant, requireGrantType } from './grant.js';
import { issueUserTokens, revokeFamily } from './issue.js';

export const refreshTokenParams = z.object({
  refresh_token: requiredParam(512),
  scope: optionalParam(1000),
  resource: optionalParam(),
});

/**
 * `refresh_token`: every use rotates the token. Presenting a token that was already used (a
 * replay, or a lost race between two uses) revokes the whole family.
 */
export const refreshTokenGrant = defineGrant(refreshTokenParams, async (ctx, req, client, p) => {
  requireGrantType(client, GRANT_TYPE.refreshToken, 'this client may not use refresh tokens');
  const hash = hashToken(p.refresh_token);
  const record = await ctx.refresh.find(hash);
  if (!record || record.clientId !== client.clientId) throw refusedGrant(ctx, 'the refresh token is invalid');
  if (record.revokedAt !== null) throw refusedGrant(ctx, 'the refresh token has been revoked');
  const reuse = async () => {
    await revokeFamily(ctx, record.familyId);
    const refusal = refusedGrant(ctx, 'the refresh token has already been used', 'refresh_reuse');
    await auditToken(ctx, req, client, {
      event: 'token.refresh_reuse',
      outcome: 'failure',
      subject: record.userId,
      detail: { family: record.familyId },
    });
    return refusal;
  };
  if (record.usedAt !== null) throw await reuse();
  const now = ctx.now();
  if (record.expiresAt < now || record.familyExpiresAt < now)
    throw refusedGrant(ctx, 'the refresh token has expired');
  const scope = grantScope(
    p.scope,
    scopeNames(record.scope),
    { allowEmpty: false },
    'scope must be within the scope originally granted',
  );
  if (p.resource !== undefined && !sameUrl(p.resource, record.resource))
    throw oauthError('invalid_target', 'resource does not match the original authorization');
  const user = await ctx.users.findById(record.userId);
  if (!user || user.disabled) {
    await revokeFamily(ctx, record.familyId);
    throw oauthError('invalid_grant', 'the authorization is no longer valid');
  }
  if (!(await ctx.refresh.markUsed(hash))) throw await reuse();
  const issued = await issueUserTokens(ctx, {
    user,
    client,
    scope,
    refreshScope: record.scope,
    resource: record.resource,
    family: { id: record.familyId, expiresAt: record.familyExpiresAt },
  });
  await auditToken(ctx, req, client, {
    event: 'token.issued',
    outcome: 'success',
    subject: user.id,
    detail: { grant: 'refresh_token', jti: issued.access.jti, family: record.familyId },
  });
  return issued.response;
});
