import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { AuthContext } from '../context.js';
import { hashToken } from '../services/hashing.js';
import { oauthError, param, requiredParam } from '../services/oauth-error.js';
import type { ClientRecord } from '../store/clients.js';
import { issueUserTokens, revokeFamily, type TokenResponse } from './issue.js';

const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

function pkceMatches(verifier: string, challenge: string): boolean {
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

/**
 * `authorization_code`: the code is single-use and bound to the client, redirect URI, PKCE
 * challenge and resource. A code presented twice revokes what it was first exchanged for.
 */
export async function authorizationCodeGrant(
  ctx: AuthContext,
  req: Request,
  client: ClientRecord,
): Promise<TokenResponse> {
  const code = requiredParam(req.body, 'code', 512);
  const redirectUri = requiredParam(req.body, 'redirect_uri');
  const verifier = requiredParam(req.body, 'code_verifier', 128);
  const resource = param(req.body, 'resource');
  if (!VERIFIER.test(verifier)) throw oauthError('invalid_request', 'code_verifier is malformed');
  if (!client.grantTypes.includes('authorization_code'))
    throw oauthError('unauthorized_client', 'this client may not use the authorization code grant');

  const codeHash = hashToken(code);
  const record = await ctx.codes.find(codeHash);
  if (!record || record.clientId !== client.clientId) {
    ctx.failures.inc({ reason: 'invalid_grant' });
    throw oauthError('invalid_grant', 'the authorization code is invalid');
  }
  if (record.usedAt !== null || !(await ctx.codes.markUsed(codeHash))) {
    // RFC 6749 4.1.2: a replayed code means it leaked; withdraw what it already bought.
    const used = (await ctx.codes.find(codeHash)) ?? record;
    if (used.issuedFamily) await revokeFamily(ctx, used.issuedFamily);
    if (used.issuedJti && used.issuedJtiExp) await ctx.revocations.deny(used.issuedJti, used.issuedJtiExp);
    ctx.failures.inc({ reason: 'code_reuse' });
    await ctx.audit.record({
      event: 'token.code_reuse',
      outcome: 'failure',
      subject: record.userId,
      clientId: client.clientId,
      ip: req.ip,
    });
    throw oauthError('invalid_grant', 'the authorization code has already been used');
  }
  if (record.expiresAt < ctx.now()) {
    ctx.failures.inc({ reason: 'invalid_grant' });
    throw oauthError('invalid_grant', 'the authorization code has expired');
  }
  if (record.redirectUri !== redirectUri)
    throw oauthError('invalid_grant', 'redirect_uri does not match the authorization request');
  if (!pkceMatches(verifier, record.codeChallenge)) {
    ctx.failures.inc({ reason: 'invalid_grant' });
    throw oauthError('invalid_grant', 'code_verifier does not match the code challenge');
  }
  if (resource !== undefined && resource.replace(/\/$/, '') !== record.resource.replace(/\/$/, ''))
    throw oauthError('invalid_target', 'resource does not match the authorization request');
  const user = await ctx.users.findById(record.userId);
  if (!user || user.disabled) throw oauthError('invalid_grant', 'the authorization is no longer valid');

  const issued = await issueUserTokens(ctx, { user, client, scope: record.scope, resource: record.resource });
  await ctx.codes.recordIssued(codeHash, issued.access.jti, issued.access.exp, issued.familyId);
  await ctx.audit.record({
    event: 'token.issued',
    outcome: 'success',
    subject: user.id,
    clientId: client.clientId,
    ip: req.ip,
    detail: {
      grant: 'authorization_code',
      jti: issued.access.jti,
      aud: record.resource,
      scope: record.scope,
    },
  });
  return issued.response;
}
