import type { AuthConfig } from '@mcp-langgraph/config';
import { DEFAULT_SCOPES, GRANT_TYPE } from '@mcp-langgraph/protocol';
import type { AuthContext } from './context.js';
import type { ClientRecord } from './store/clients.js';

/** Parses `AUTH_SEED_USERS` ("alice:secret-a,bob:secret-b"). */
export function parseSeedUsers(spec: string | undefined): { username: string; password: string }[] {
  return (spec ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((pair) => {
      const i = pair.indexOf(':');
      if (i <= 0 || i === pair.length - 1)
        throw new Error('AUTH_SEED_USERS entries must look like name:password');
      return { username: pair.slice(0, i), password: pair.slice(i + 1) };
    });
}

/** Creates or updates the seed users (refused in production by the configuration). */
export async function seedUsers(ctx: AuthContext, spec: string | undefined): Promise<void> {
  for (const { username, password } of parseSeedUsers(spec)) {
    const existing = await ctx.users.findByUsername(username);
    if (existing && (await ctx.passwords.verify(existing.passwordHash, password))) continue;
    await ctx.users.upsert({
      username,
      passwordHash: await ctx.passwords.hash(password),
      scopes: existing?.scopes ?? [...DEFAULT_SCOPES],
      tier: existing?.tier ?? 'free',
    });
  }
}

/** A first-party confidential client kept in step with the configured id and secret. */
async function ensureConfidentialClient(
  ctx: AuthContext,
  credentials: { clientId: string; secret: string },
  registration: Pick<ClientRecord, 'name' | 'grantTypes' | 'scopes' | 'allowedAudiences' | 'tier'>,
): Promise<ClientRecord> {
  const existing = await ctx.clients.get(credentials.clientId);
  // Re-hashing an unchanged secret on every start would only cost time (and churn the row).
  const keepHash =
    existing?.secretHash && (await ctx.passwords.verify(existing.secretHash, credentials.secret));
  return ctx.clients.upsert({
    ...registration,
    clientId: credentials.clientId,
    secretHash:
      keepHash && existing?.secretHash ? existing.secretHash : await ctx.passwords.hash(credentials.secret),
    redirectUris: [],
    authMethod: 'client_secret_basic',
    tier: existing?.tier ?? registration.tier,
    firstParty: true,
  });
}

/** Registers (or updates) the MCP edge as a confidential client allowed to exchange tokens for the agent. */
export function ensureEdgeClient(
  ctx: AuthContext,
  config: Pick<AuthConfig, 'EDGE_CLIENT_ID' | 'EDGE_CLIENT_SECRET' | 'AGENT_PUBLIC_URL'>,
): Promise<ClientRecord> {
  return ensureConfidentialClient(
    ctx,
    { clientId: config.EDGE_CLIENT_ID, secret: config.EDGE_CLIENT_SECRET },
    {
      name: 'MCP edge',
      grantTypes: [GRANT_TYPE.clientCredentials, GRANT_TYPE.tokenExchange],
      scopes: [...DEFAULT_SCOPES],
      allowedAudiences: [config.AGENT_PUBLIC_URL],
      tier: 'enterprise',
    },
  );
}

/**
 * Registers (or updates) the agent as a confidential client whose only use is reading the
 * revocation feed: no grant types, scopes or audiences, so `/token` gives it nothing.
 */
export function ensureAgentClient(
  ctx: AuthContext,
  config: Pick<AuthConfig, 'AGENT_CLIENT_ID' | 'AGENT_CLIENT_SECRET'>,
): Promise<ClientRecord> {
  return ensureConfidentialClient(
    ctx,
    { clientId: config.AGENT_CLIENT_ID, secret: config.AGENT_CLIENT_SECRET },
    { name: 'Agent', grantTypes: [], scopes: [], allowedAudiences: [], tier: 'free' },
  );
}
