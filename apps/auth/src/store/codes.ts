import type { Kysely, Selectable } from 'kysely';
import { type AuthCodesTable, type AuthDB, num } from './schema.js';

export interface AuthCodeRecord {
  codeHash: string;
  clientId: string;
  userId: string;
  redirectUri: string;
  codeChallenge: string;
  scope: string;
  resource: string;
  expiresAt: number;
  usedAt: number | null;
  issuedJti: string | null;
  issuedJtiExp: number | null;
  issuedFamily: string | null;
}

function toCode(r: Selectable<AuthCodesTable>): AuthCodeRecord {
  return {
    codeHash: r.code_hash,
    clientId: r.client_id,
    userId: r.user_id,
    redirectUri: r.redirect_uri,
    codeChallenge: r.code_challenge,
    scope: r.scope,
    resource: r.resource,
    expiresAt: num(r.expires_at),
    usedAt: num(r.used_at),
    issuedJti: r.issued_jti,
    issuedJtiExp: num(r.issued_jti_exp),
    issuedFamily: r.issued_family,
  };
}

export type CodeStore = ReturnType<typeof createCodeStore>;

/** Authorization codes, stored only as hashes. */
export function createCodeStore(db: Kysely<AuthDB>, now: () => number) {
  return {
    async create(c: Omit<AuthCodeRecord, 'usedAt' | 'issuedJti' | 'issuedJtiExp' | 'issuedFamily'>) {
      await db
        .insertInto('auth_codes')
        .values({
          code_hash: c.codeHash,
          client_id: c.clientId,
          user_id: c.userId,
          redirect_uri: c.redirectUri,
          code_challenge: c.codeChallenge,
          scope: c.scope,
          resource: c.resource,
          expires_at: c.expiresAt,
          created_at: now(),
        })
        .execute();
    },
    async find(codeHash: string): Promise<AuthCodeRecord | undefined> {
      const r = await db
        .selectFrom('auth_codes')
        .selectAll()
        .where('code_hash', '=', codeHash)
        .executeTakeFirst();
      return r ? toCode(r) : undefined;
    },
    /** Marks the code used; true only for the one caller that got there first. */
    async markUsed(codeHash: string): Promise<boolean> {
      const r = await db
        .updateTable('auth_codes')
        .set({ used_at: now() })
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async recordIssued(codeHash: string, jti: string, jtiExp: number, family: string | null) {
      await db
        .updateTable('auth_codes')
        .set({ issued_jti: jti, issued_jti_exp: jtiExp, issued_family: family })
        .where('code_hash', '=', codeHash)
        .execute();
    },
    async purgeExpired(before: number) {
      await db.deleteFrom('auth_codes').where('expires_at', '<', before).execute();
    },
  };
}
