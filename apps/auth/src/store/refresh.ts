import type { Kysely, Selectable } from 'kysely';
import { type AuthDB, num, type RefreshTokensTable } from './schema.js';

export interface RefreshTokenRecord {
  tokenHash: string;
  familyId: string;
  clientId: string;
  userId: string;
  scope: string;
  resource: string;
  createdAt: number;
  expiresAt: number;
  familyExpiresAt: number;
  usedAt: number | null;
  revokedAt: number | null;
  lastJti: string | null;
  lastJtiExp: number | null;
}

function toRecord(r: Selectable<RefreshTokensTable>): RefreshTokenRecord {
  return {
    tokenHash: r.token_hash,
    familyId: r.family_id,
    clientId: r.client_id,
    userId: r.user_id,
    scope: r.scope,
    resource: r.resource,
    createdAt: num(r.created_at),
    expiresAt: num(r.expires_at),
    familyExpiresAt: num(r.family_expires_at),
    usedAt: num(r.used_at),
    revokedAt: num(r.revoked_at),
    lastJti: r.last_jti,
    lastJtiExp: num(r.last_jti_exp),
  };
}

export type RefreshStore = ReturnType<typeof createRefreshStore>;

/** Refresh tokens, stored only as hashes and grouped in rotation families. */
export function createRefreshStore(db: Kysely<AuthDB>, now: () => number) {
  return {
    async create(r: Omit<RefreshTokenRecord, 'usedAt' | 'revokedAt' | 'createdAt'>) {
      await db
        .insertInto('refresh_tokens')
        .values({
          token_hash: r.tokenHash,
          family_id: r.familyId,
          client_id: r.clientId,
          user_id: r.userId,
          scope: r.scope,
          resource: r.resource,
          created_at: now(),
          expires_at: r.expiresAt,
          family_expires_at: r.familyExpiresAt,
          last_jti: r.lastJti,
          last_jti_exp: r.lastJtiExp,
        })
        .execute();
    },
    async find(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
      const r = await db
        .selectFrom('refresh_tokens')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return r ? toRecord(r) : undefined;
    },
    /** Marks the token used; true only for the one caller that got there first. */
    async markUsed(tokenHash: string): Promise<boolean> {
      const r = await db
        .updateTable('refresh_tokens')
        .set({ used_at: now() })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    /** Revokes every token of the family; returns the access tokens issued beside them. */
    async revokeFamily(familyId: string): Promise<{ jti: string; exp: number }[]> {
      const rows = await db
        .selectFrom('refresh_tokens')
        .select(['last_jti', 'last_jti_exp'])
        .where('family_id', '=', familyId)
        .execute();
      await db
        .updateTable('refresh_tokens')
        .set({ revoked_at: now() })
        .where('family_id', '=', familyId)
        .where('revoked_at', 'is', null)
        .execute();
      return rows.flatMap((r) =>
        r.last_jti && r.last_jti_exp !== null ? [{ jti: r.last_jti, exp: num(r.last_jti_exp) }] : [],
      );
    },
    async revokeForUser(userId: string) {
      await db
        .updateTable('refresh_tokens')
        .set({ revoked_at: now() })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .execute();
    },
    async purgeExpired(before: number) {
      await db.deleteFrom('refresh_tokens').where('expires_at', '<', before).execute();
    },
  };
}
