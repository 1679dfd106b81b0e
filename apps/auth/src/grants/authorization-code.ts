import { createHash, timingSafeEqual } from 'node:crypto';
import { GRANT_TYPE, sameUrl } from '@mcp-langgraph/protocol';
import { z } from 'zod';
import { hashToken } from '../services/hashing.js';
import { oauthError } from '../services/oauth-error.js';
import { optionalParam, requiredParam } from '../services/oauth-params.js';
import { auditToken, defineGrant, refusedGrant, requireGrantType } from './grant.js';
import { issueUserTokens, revokeFamily } from './issue.js';

export const authorizationCodeParams = z.object({
  code: requiredParam(512),
  redirect_uri: requiredParam(),
  code_verifier: requiredParam(128, /^[A-Za-z0-9._~-]{43,128}$/),
  resource: optionalParam(),
});

function pkceMatches(verifier: string, challenge: string): boolean {
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

/**
 * `authorization_code`: the code is single-use and bound to the client, redirect URI, PKCE
 * challenge and resource. A code presented twice revokes what it was first exchanged for.
 */
export const authorizationCodeGrant = defineGrant(authorizationCodeParams, async (ctx, req, client, p) => {
  requireGrantType(
    client,
    GRANT_TYPE.authorizationCode,
    'this client may not use the authorization code grant',
  );
  const codeHash = hashToken(p.code);
  const record = await ctx.codes.find(codeHash);
  if (!record || record.clientId !== client.clientId)
    throw refusedGrant(ctx, 'the authorization code is invalid');
  if (record.usedAt !== null || !(await ctx.codes.markUsed(codeHash))) {
    // RFC 6749 4.1.2: a replayed code means it leaked; withdraw what it already bought.
    const used = (await ctx.codes.find(codeHash)) ?? record;
    if (used.issuedFamily) await revokeFamily(ctx, used.issuedFamily);
    if (used.issuedJti && used.issuedJtiExp) await ctx.revocations.deny(used.issuedJti, used.issuedJtiExp);
    const refusal = refusedGrant(ctx, 'the authorization code has already been used', 'code_reuse');
    await auditToken(ctx, req, client, {
      event: 'token.code_reuse',
      outcome: 'failure',
      subject: record.userId,
    });
    throw refusal;
  }
  if (record.expiresAt < ctx.now()) throw refusedGrant(ctx, 'the authorization code has expired');
  if (record.redirectUri !== p.redirect_uri)
    throw oauthError('invalid_grant', 'redirect_uri does not match the authorization request');
  if (!pkceMatches(p.code_verifier, record.codeChallenge))
    throw refusedGrant(ctx, 'code_verifier does not match the code challenge');
  if (p.resource !== undefined && !sameUrl(p.resource, record.resource))
    throw oauthError('invalid_target', 'resource does not match the authorization request');
  const user = await ctx.users.findById(record.userId);
  if (!user || user.disabled) throw oauthError('invalid_grant', 'the authorization is no longer valid');

  const issued = await issueUserTokens(ctx, { user, client, scope: record.scope, resource: record.resource });
  await ctx.codes.recordIssued(codeHash, issued.access.jti, issued.access.exp, issued.familyId);
  await auditToken(ctx, req, client, {
    event: 'token.issued',
    outcome: 'success',
    subject: user.id,
    detail: {
      grant: 'authorization_code',
      jti: issued.access.jti,
      aud: record.resource,
      scope: record.scope,
    },
  });
  return issued.response;
});
