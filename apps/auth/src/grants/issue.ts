import { randomBytes, randomUUID } from 'node:crypto';
import { GRANT_TYPE } from '@mcp-langgraph/protocol';
import type { AuthContext } from '../context.js';
import { hashToken } from '../services/hashing.js';
import type { IssuedToken } from '../services/tokens.js';
import type { ClientRecord } from '../store/clients.js';
import type { UserRecord } from '../store/users.js';

/** The JSON a successful token request answers with (RFC 6749 5.1). */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
  issued_token_type?: string;
}

export function accessTokenResponse(t: IssuedToken): TokenResponse {
  return { access_token: t.token, token_type: 'Bearer', expires_in: t.expiresIn, scope: t.claims.scope };
}

/**
 * Issues a user's access token and, when the client may refresh, a refresh token in `familyId`
 * (a new family when absent). The refresh token is returned once and stored only as a hash.
 */
export async function issueUserTokens(
  ctx: AuthContext,
  input: {
    user: UserRecord;
    client: ClientRecord;
    scope: string;
    resource: string;
    /** Scope the refresh token carries, when the access token is narrower. */
    refreshScope?: string;
    family?: { id: string; expiresAt: number };
  },
): Promise<{ response: TokenResponse; access: IssuedToken; familyId: string | null }> {
  const access = ctx.tokens.issue({
    sub: input.user.id,
    subType: 'user',
    audience: input.resource,
    clientId: input.client.clientId,
    scope: input.scope,
    tier: input.user.tier,
    username: input.user.username,
  });
  const response = accessTokenResponse(access);
  if (!input.client.grantTypes.includes(GRANT_TYPE.refreshToken)) return { response, access, familyId: null };
  const now = Math.floor(ctx.now());
  const familyId = input.family?.id ?? randomUUID();
  const familyExpiresAt = input.family?.expiresAt ?? now + ctx.settings.refreshAbsoluteTtl;
  const refreshToken = randomBytes(32).toString('base64url');
  await ctx.refresh.create({
    tokenHash: hashToken(refreshToken),
    familyId,
    clientId: input.client.clientId,
    userId: input.user.id,
    scope: input.refreshScope ?? input.scope,
    resource: input.resource,
    expiresAt: Math.min(now + ctx.settings.refreshIdleTtl, familyExpiresAt),
    familyExpiresAt,
    lastJti: access.jti,
    lastJtiExp: access.exp,
  });
  return { response: { ...response, refresh_token: refreshToken }, access, familyId };
}

/** Revokes a refresh family and deny-lists the access tokens issued with it. */
export async function revokeFamily(ctx: AuthContext, familyId: string): Promise<void> {
  const issued = await ctx.refresh.revokeFamily(familyId);
  for (const t of issued) if (t.exp > ctx.now()) await ctx.revocations.deny(t.jti, t.exp);
}
