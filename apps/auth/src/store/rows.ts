import { scopeNames, toTier } from '@mcp-langgraph/protocol';
import type { Kysely, Selectable } from 'kysely';
import { type AuthDB, type Epoch, num } from './schema.js';

type Table = keyof AuthDB;
type Column<T extends Table> = keyof AuthDB[T] & string;

// Kysely cannot check a column reference against a table that is itself a type parameter, so the
// helpers below go through this loosely typed view; their signatures keep callers exact.
type Loose = Kysely<Record<string, Record<string, unknown>>>;

/** The row of `table` whose `column` (a key) is `value`, if there is one. */
export async function findRow<T extends Table>(
  db: Kysely<AuthDB>,
  table: T,
  column: Column<T>,
  value: string,
): Promise<Selectable<AuthDB[T]> | undefined> {
  const row = await (db as unknown as Loose)
    .selectFrom(table as string)
    .selectAll()
    .where(column as string, '=', value)
    .executeTakeFirst();
  return row as Selectable<AuthDB[T]> | undefined;
}

/**
 * Sets `stamp` (a time column) to `at` on the rows where `column` is `value` and `stamp`, and each
 * of `unset`, is still null. Returns how many rows changed: for a single row, whether this caller
 * was the one that got there first.
 */
export async function stampOnce<T extends Table>(
  db: Kysely<AuthDB>,
  table: T,
  where: { column: Column<T>; value: string },
  stamp: Column<T>,
  at: number,
  unset: readonly Column<T>[] = [],
): Promise<number> {
  let query = (db as unknown as Loose)
    .updateTable(table as string)
    .set({ [stamp]: at })
    .where(where.column as string, '=', where.value)
    .where(stamp as string, 'is', null);
  for (const c of unset) query = query.where(c as string, 'is', null);
  const r = await query.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** What an authorization code and a refresh token both hold: which user let which client have what. */
export interface UserGrant {
  clientId: string;
  userId: string;
  scope: string;
  /** The audience the grant's access tokens are for. */
  resource: string;
  expiresAt: number;
  usedAt: number | null;
}

export function userGrantOf(r: {
  client_id: string;
  user_id: string;
  scope: string;
  resource: string;
  expires_at: Epoch;
  used_at: Epoch | null;
}): UserGrant {
  return {
    clientId: r.client_id,
    userId: r.user_id,
    scope: r.scope,
    resource: r.resource,
    expiresAt: num(r.expires_at),
    usedAt: num(r.used_at),
  };
}

export function userGrantRow(g: Omit<UserGrant, 'usedAt'>) {
  return {
    client_id: g.clientId,
    user_id: g.userId,
    scope: g.scope,
    resource: g.resource,
    expires_at: g.expiresAt,
  };
}

/** What users and clients both have: the scopes they may be granted, a tier, a disabled flag. */
export function principalOf(r: { scope: string; tier: string; disabled: number; created_at: Epoch }) {
  return {
    scopes: scopeNames(r.scope),
    tier: toTier(r.tier),
    disabled: Number(r.disabled) === 1,
    createdAt: num(r.created_at),
  };
}
