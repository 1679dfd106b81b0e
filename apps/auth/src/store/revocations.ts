import type { Kysely } from 'kysely';
import type { AuthDB } from './schema.js';

export type RevocationStore = ReturnType<typeof createRevocationStore>;

/** The `jti` deny-list: a revoked access token stays listed until it would have expired anyway. */
export function createRevocationStore(db: Kysely<AuthDB>) {
  return {
    async deny(jti: string, expiresAt: number) {
      const existing = await db
        .selectFrom('revoked_jtis')
        .select('jti')
        .where('jti', '=', jti)
        .executeTakeFirst();
      if (existing) return;
      try {
        await db.insertInto('revoked_jtis').values({ jti, expires_at: expiresAt }).execute();
      } catch (err) {
        // A concurrent revocation of the same token already listed it.
        const again = await db
          .selectFrom('revoked_jtis')
          .select('jti')
          .where('jti', '=', jti)
          .executeTakeFirst();
        if (!again) throw err;
      }
    },
    async isDenied(jti: string): Promise<boolean> {
      const r = await db.selectFrom('revoked_jtis').select('jti').where('jti', '=', jti).executeTakeFirst();
      return r !== undefined;
    },
    /** Every listed `jti` that has not expired yet. */
    async listActive(now: number): Promise<string[]> {
      const rows = await db.selectFrom('revoked_jtis').select('jti').where('expires_at', '>=', now).execute();
      return rows.map((r) => r.jti);
    },
    async purgeExpired(before: number) {
      await db.deleteFrom('revoked_jtis').where('expires_at', '<', before).execute();
    },
  };
}
