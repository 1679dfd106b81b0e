import { randomUUID } from 'node:crypto';
import type { Tier } from '@mcp-langgraph/protocol';
import type { Kysely, Selectable } from 'kysely';
import { findRow, principalOf } from './rows.js';
import type { AuthDB, UsersTable } from './schema.js';

/** A user account as the rest of the service sees it. */
export interface UserRecord {
  id: string;
  username: string;
  passwordHash: string;
  /** Scopes this user may be granted. */
  scopes: string[];
  tier: Tier;
  disabled: boolean;
  createdAt: number;
}

function toUser(r: Selectable<UsersTable>): UserRecord {
  return {
    id: r.id,
    username: r.username,
    passwordHash: r.password_hash,
    ...principalOf(r),
  };
}

export type UserStore = ReturnType<typeof createUserStore>;

export function createUserStore(db: Kysely<AuthDB>, now: () => number) {
  return {
    async findByUsername(username: string): Promise<UserRecord | undefined> {
      const r = await findRow(db, 'users', 'username', username);
      return r ? toUser(r) : undefined;
    },
    async findById(id: string): Promise<UserRecord | undefined> {
      const r = await findRow(db, 'users', 'id', id);
      return r ? toUser(r) : undefined;
    },
    /** Ids of disabled users: resource servers refuse their still-unexpired access tokens. */
    async disabledIds(): Promise<string[]> {
      const rows = await db.selectFrom('users').select('id').where('disabled', '=', 1).execute();
      return rows.map((r) => r.id);
    },
    async list(): Promise<UserRecord[]> {
      const rows = await db.selectFrom('users').selectAll().orderBy('username').execute();
      return rows.map(toUser);
    },
    /** Creates the user, or replaces the password, scopes and tier of an existing one with that name. */
    async upsert(input: {
      username: string;
      passwordHash: string;
      scopes: readonly string[];
      tier: Tier;
    }): Promise<{ user: UserRecord; created: boolean }> {
      const t = now();
      const existing = await this.findByUsername(input.username);
      if (existing) {
        await db
          .updateTable('users')
          .set({
            password_hash: input.passwordHash,
            scope: input.scopes.join(' '),
            tier: input.tier,
            updated_at: t,
          })
          .where('id', '=', existing.id)
          .execute();
        return { user: (await this.findById(existing.id))!, created: false };
      }
      const id = randomUUID();
      await db
        .insertInto('users')
        .values({
          id,
          username: input.username,
          password_hash: input.passwordHash,
          scope: input.scopes.join(' '),
          tier: input.tier,
          disabled: 0,
          created_at: t,
          updated_at: t,
        })
        .execute();
      return { user: (await this.findById(id))!, created: true };
    },
    async setDisabled(username: string, disabled: boolean): Promise<UserRecord | undefined> {
      await db
        .updateTable('users')
        .set({ disabled: disabled ? 1 : 0, updated_at: now() })
        .where('username', '=', username)
        .execute();
      return this.findByUsername(username);
    },
  };
}
