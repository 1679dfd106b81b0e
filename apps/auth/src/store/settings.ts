import type { Kysely } from 'kysely';
import { type AuthDB, num } from './schema.js';

export interface StoredKey {
  kid: string;
  privateJwk: string;
  publicJwk: string;
  createdAt: number;
}

export type KeyStore = ReturnType<typeof createKeyStore>;

/** Signing keys kept in the store (the embedded default; production keys come from the secret provider). */
export function createKeyStore(db: Kysely<AuthDB>) {
  return {
    async list(): Promise<StoredKey[]> {
      const rows = await db.selectFrom('signing_keys').selectAll().orderBy('created_at', 'desc').execute();
      return rows.map((r) => ({
        kid: r.kid,
        privateJwk: r.private_jwk,
        publicJwk: r.public_jwk,
        createdAt: num(r.created_at),
      }));
    },
    async insert(k: StoredKey) {
      await db
        .insertInto('signing_keys')
        .values({ kid: k.kid, private_jwk: k.privateJwk, public_jwk: k.publicJwk, created_at: k.createdAt })
        .execute();
    },
    async remove(kids: readonly string[]) {
      if (kids.length > 0) await db.deleteFrom('signing_keys').where('kid', 'in', kids).execute();
    },
  };
}

/** Small named values shared by every replica (such as the form-signing key). */
export async function getOrCreateSetting(
  db: Kysely<AuthDB>,
  name: string,
  create: () => string,
): Promise<string> {
  const found = await db.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirst();
  if (found) return found.value;
  try {
    await db.insertInto('settings').values({ name, value: create() }).execute();
  } catch {
    // Another replica created it first; read theirs below.
  }
  const r = await db
    .selectFrom('settings')
    .select('value')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return r.value;
}
