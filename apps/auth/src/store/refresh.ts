import type { Kysely, Selectable } from 'kysely';
import { findRow, stampOnce, type UserGrant, userGrantOf, userGrantRow } from './rows.js';
import { type AuthDB, num, type RefreshTokensTable } from './schema.js';

export interface RefreshTokenRecord extends UserGrant {
  tokenHash: string;
  familyId: string;
  createdAt: number;
  familyExpiresAt: number;
  revokedAt: number | null;
  lastJti: string | null;
  lastJtiExp: number | null;
}

function toRecord(r: Selectable<RefreshTokensTable>): RefreshTokenRecord {
  return {
    ...userGrantOf(r),
    tokenHash: r.token_hash,
    familyId: r.family_id,
    createdAt: num(r.created_at),
    familyExpiresAt: num(r.family_expires_at),
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
          ...userGrantRow(r),
          token_hash: r.tokenHash,
          family_id: r.familyId,
          created_at: now(),
          family_expires_at: r.familyExpiresAt,
          last_jti: r.lastJti,
          last_jti_exp: r.lastJtiExp,
        })
        .execute();
    },
    async find(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
      const r = await findRow(db, 'refresh_tokens', 'token_hash', tokenHash);
      return r ? toRecord(r) : undefined;
    },
    /** Marks the token used; true only for the one caller that got there first (and not once revoked). */
    async markUsed(tokenHash: string): Promise<boolean> {
      const where = { column: 'token_hash', value: tokenHash } as const;
      return (await stampOnce(db, 'refresh_tokens', where, 'used_at', now(), ['revoked_at'])) === 1;
    },
    /** Revokes every token of the family; returns the access tokens issued beside them. */
    async revokeFamily(familyId: string): Promise<{ jti: string; exp: number }[]> {
      const rows = await db
        .selectFrom('refresh_tokens')
        .select(['last_jti', 'last_jti_exp'])
        .where('family_id', '=', familyId)
        .execute();
      await stampOnce(db, 'refresh_tokens', { column: 'family_id', value: familyId }, 'revoked_at', now());
      return rows.flatMap((r) =>
        r.last_jti && r.last_jti_exp !== null ? [{ jti: r.last_jti, exp: num(r.last_jti_exp) }] : [],
      );
    },
    async revokeForUser(userId: string) {
      await stampOnce(db, 'refresh_tokens', { column: 'user_id', value: userId }, 'revoked_at', now());
    },
    async purgeExpired(before: number) {
      await db.deleteFrom('refresh_tokens').where('expires_at', '<', before).execute();
    },
  };
}
