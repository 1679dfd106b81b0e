import type { Kysely } from 'kysely';
import type { AuthDB } from './schema.js';

export type UsedFormTokenStore = ReturnType<typeof createUsedFormTokenStore>;

/** Form tokens that have been answered once; the store makes "once" hold across replicas. */
export function createUsedFormTokenStore(db: Kysely<AuthDB>) {
  return {
    /** Records the token as used; true only for the one request that got there first. */
    async consume(id: string, expiresAt: number): Promise<boolean> {
      const r = await db
        .insertInto('used_form_tokens')
        .values({ id, expires_at: expiresAt })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
    },
    async purgeExpired(before: number): Promise<void> {
      await db.deleteFrom('used_form_tokens').where('expires_at', '<', before).execute();
    },
  };
}
