import type { Tier } from '@mcp-langgraph/protocol';
import type { Kysely, Selectable } from 'kysely';
import { findRow, principalOf } from './rows.js';
import type { AuthDB, ClientsTable } from './schema.js';

export type TokenEndpointAuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post';

/** An OAuth client. Confidential clients have a secret hash; public clients authenticate with PKCE only. */
export interface ClientRecord {
  clientId: string;
  secretHash: string | null;
  name: string;
  redirectUris: string[];
  grantTypes: string[];
  authMethod: TokenEndpointAuthMethod;
  /** Scopes the client may obtain; also its default scope set. */
  scopes: string[];
  /** Audiences reachable through client credentials or token exchange. */
  allowedAudiences: string[];
  tier: Tier;
  /** Trusted by the operator: users are not asked for consent. */
  firstParty: boolean;
  disabled: boolean;
  createdAt: number;
}

function parseList(s: string): string[] {
  try {
    const v = JSON.parse(s) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function toClient(r: Selectable<ClientsTable>): ClientRecord {
  return {
    clientId: r.client_id,
    secretHash: r.client_secret_hash,
    name: r.client_name,
    redirectUris: parseList(r.redirect_uris),
    grantTypes: parseList(r.grant_types),
    authMethod: r.token_endpoint_auth_method as TokenEndpointAuthMethod,
    allowedAudiences: parseList(r.allowed_audiences),
    ...principalOf(r),
    firstParty: Number(r.first_party) === 1,
  };
}

export type NewClient = Omit<ClientRecord, 'createdAt' | 'disabled'> & { disabled?: boolean };

export type ClientStore = ReturnType<typeof createClientStore>;

export function createClientStore(db: Kysely<AuthDB>, now: () => number) {
  const row = (c: NewClient) => ({
    client_secret_hash: c.secretHash,
    client_name: c.name,
    redirect_uris: JSON.stringify(c.redirectUris),
    grant_types: JSON.stringify(c.grantTypes),
    token_endpoint_auth_method: c.authMethod,
    scope: c.scopes.join(' '),
    allowed_audiences: JSON.stringify(c.allowedAudiences),
    tier: c.tier,
    first_party: c.firstParty ? 1 : 0,
    disabled: c.disabled ? 1 : 0,
    updated_at: now(),
  });
  return {
    async get(clientId: string): Promise<ClientRecord | undefined> {
      const r = await findRow(db, 'clients', 'client_id', clientId);
      return r ? toClient(r) : undefined;
    },
    async list(): Promise<ClientRecord[]> {
      const rows = await db.selectFrom('clients').selectAll().orderBy('created_at').execute();
      return rows.map(toClient);
    },
    /** The names of the clients the operator trusts, which no registered client may take. */
    async firstPartyNames(): Promise<string[]> {
      const rows = await db
        .selectFrom('clients')
        .select('client_name')
        .where('first_party', '=', 1)
        .execute();
      return rows.map((r) => r.client_name);
    },
    async create(c: NewClient): Promise<ClientRecord> {
      await db
        .insertInto('clients')
        .values({ client_id: c.clientId, ...row(c), created_at: now() })
        .execute();
      return (await this.get(c.clientId))!;
    },
    /** Inserts or replaces every field but the creation time. */
    async upsert(c: NewClient): Promise<ClientRecord> {
      const existing = await this.get(c.clientId);
      if (!existing) return this.create(c);
      await db.updateTable('clients').set(row(c)).where('client_id', '=', c.clientId).execute();
      return (await this.get(c.clientId))!;
    },
    async setSecretHash(clientId: string, secretHash: string): Promise<boolean> {
      const r = await db
        .updateTable('clients')
        .set({ client_secret_hash: secretHash, updated_at: now() })
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}
