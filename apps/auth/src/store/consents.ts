import { scopeNames } from '@mcp-langgraph/protocol';
import type { Kysely } from 'kysely';
import type { AuthDB } from './schema.js';

export type ConsentStore = ReturnType<typeof createConsentStore>;

/** Scopes a user has agreed to give a client; a later request within them is not asked again. */
export function createConsentStore(db: Kysely<AuthDB>, now: () => number) {
  return {
    async granted(userId: string, clientId: string): Promise<string[]> {
      const r = await db
        .selectFrom('consents')
        .select('scope')
        .where('user_id', '=', userId)
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return scopeNames(r?.scope);
    },
    async grant(userId: string, clientId: string, scopes: readonly string[]) {
      const merged = [...new Set([...(await this.granted(userId, clientId)), ...scopes])].sort().join(' ');
      const updated = await db
        .updateTable('consents')
        .set({ scope: merged })
        .where('user_id', '=', userId)
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0)
        await db
          .insertInto('consents')
          .values({ user_id: userId, client_id: clientId, scope: merged, created_at: now() })
          .execute();
    },
  };
}
