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

/** Registers (or updates) the MCP edge as a confidential client allowed to exchange tokens for the agent. */
export async function ensureEdgeClient(
  ctx: AuthContext,
  config: Pick<AuthConfig, 'EDGE_CLIENT_ID' | 'EDGE_CLIENT_SECRET' | 'AGENT_PUBLIC_URL'>,
): Promise<ClientRecord> {
  const existing = await ctx.clients.get(config.EDGE_CLIENT_ID);
  // Re-hashing an unchanged secret on every start would only cost time (and churn the row).
  const keepHash =
    existing?.secretHash && (await ctx.passwords.verify(existing.secretHash, config.EDGE_CLIENT_SECRET));
  return ctx.clients.upsert({
    clientId: config.EDGE_CLIENT_ID,
    secretHash:
      keepHash && existing?.secretHash
        ? existing.secretHash
        : await ctx.passwords.hash(config.EDGE_CLIENT_SECRET),
    name: 'MCP edge',
    redirectUris: [],
    grantTypes: [GRANT_TYPE.clientCredentials, GRANT_TYPE.tokenExchange],
    authMethod: 'client_secret_basic',
    scopes: [...DEFAULT_SCOPES],
    allowedAudiences: [config.AGENT_PUBLIC_URL],
    tier: existing?.tier ?? 'enterprise',
    firstParty: true,
  });
}
