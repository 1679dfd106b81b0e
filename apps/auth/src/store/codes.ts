import type { Kysely, Selectable } from 'kysely';
import { findRow, stampOnce, type UserGrant, userGrantOf, userGrantRow } from './rows.js';
import { type AuthCodesTable, type AuthDB, num } from './schema.js';

export interface AuthCodeRecord extends UserGrant {
  codeHash: string;
  redirectUri: string;
  codeChallenge: string;
  issuedJti: string | null;
  issuedJtiExp: number | null;
  issuedFamily: string | null;
}

function toCode(r: Selectable<AuthCodesTable>): AuthCodeRecord {
  return {
    ...userGrantOf(r),
    codeHash: r.code_hash,
    redirectUri: r.redirect_uri,
    codeChallenge: r.code_challenge,
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
          ...userGrantRow(c),
          code_hash: c.codeHash,
          redirect_uri: c.redirectUri,
          code_challenge: c.codeChallenge,
          created_at: now(),
        })
        .execute();
    },
    async find(codeHash: string): Promise<AuthCodeRecord | undefined> {
      const r = await findRow(db, 'auth_codes', 'code_hash', codeHash);
      return r ? toCode(r) : undefined;
    },
    /** Marks the code used; true only for the one caller that got there first. */
    async markUsed(codeHash: string): Promise<boolean> {
      const where = { column: 'code_hash', value: codeHash } as const;
      return (await stampOnce(db, 'auth_codes', where, 'used_at', now())) === 1;
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
