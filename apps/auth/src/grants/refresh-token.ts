import type { Request } from 'express';
import type { AuthContext } from '../context.js';
import { hashToken } from '../services/hashing.js';
import { oauthError, param, requiredParam } from '../services/oauth-error.js';
import { formatScope, isSubset, parseScope } from '../services/scopes.js';
import type { ClientRecord } from '../store/clients.js';
import { issueUserTokens, revokeFamily, type TokenResponse } from './issue.js';

/**
 * `refresh_token`: every use rotates the token. Presenting a token that was already used (a
 * replay, or a lost race between two uses) revokes the whole family.
 */
export async function refreshTokenGrant(
  ctx: AuthContext,
  req: Request,
  client: ClientRecord,
): Promise<TokenResponse> {
  const token = requiredParam(req.body, 'refresh_token', 512);
  const scopeParam = param(req.body, 'scope', 1000);
  const resource = param(req.body, 'resource');
  if (!client.grantTypes.includes('refresh_token'))
    throw oauthError('unauthorized_client', 'this client may not use refresh tokens');
  const hash = hashToken(token);
  const record = await ctx.refresh.find(hash);
  if (!record || record.clientId !== client.clientId) {
    ctx.failures.inc({ reason: 'invalid_grant' });
    throw oauthError('invalid_grant', 'the refresh token is invalid');
  }
  if (record.revokedAt !== null) {
    ctx.failures.inc({ reason: 'invalid_grant' });
    throw oauthError('invalid_grant', 'the refresh token has been revoked');
  }
  const reuse = async () => {
    await revokeFamily(ctx, record.familyId);
    ctx.failures.inc({ reason: 'refresh_reuse' });
    await ctx.audit.record({
      event: 'token.refresh_reuse',
      outcome: 'failure',
      subject: record.userId,
      clientId: client.clientId,
      ip: req.ip,
      detail: { family: record.familyId },
    });
    return oauthError('invalid_grant', 'the refresh token has already been used');
  };
  if (record.usedAt !== null) throw await reuse();
  const now = ctx.now();
  if (record.expiresAt < now || record.familyExpiresAt < now) {
    ctx.failures.inc({ reason: 'invalid_grant' });
    throw oauthError('invalid_grant', 'the refresh token has expired');
  }
  const original = record.scope.split(' ').filter(Boolean);
  let scopes = original;
  if (scopeParam !== undefined) {
    const parsed = parseScope(scopeParam);
    if (parsed.unknown.length > 0 || !isSubset(parsed.scopes, original) || parsed.scopes.length === 0)
      throw oauthError('invalid_scope', 'scope must be within the scope originally granted');
    scopes = parsed.scopes;
  }
  if (resource !== undefined && resource.replace(/\/$/, '') !== record.resource.replace(/\/$/, ''))
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
    scope: formatScope(scopes),
    refreshScope: record.scope,
    resource: record.resource,
    family: { id: record.familyId, expiresAt: record.familyExpiresAt },
  });
  await ctx.audit.record({
    event: 'token.issued',
    outcome: 'success',
    subject: user.id,
    clientId: client.clientId,
    ip: req.ip,
    detail: { grant: 'refresh_token', jti: issued.access.jti, family: record.familyId },
  });
  return issued.response;
}
