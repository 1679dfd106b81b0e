import { createDatabase, migrateToLatest } from '@mcp-langgraph/db';
import { sql } from 'kysely';
import type { TupleRow } from '../tuple.js';
import { MIGRATION_TABLE, TUPLE_TABLE, tupleMigrations } from './migrations.js';
import type { TupleFilter, TupleStore, UserColumns } from './types.js';

interface TupleTable {
  object_type: string;
  object_id: string;
  relation: string;
  user_type: string;
  user_id: string;
  user_relation: string;
}

interface Schema {
  [TUPLE_TABLE]: TupleTable;
}

/** Tuples in PostgreSQL through `@mcp-langgraph/db`; every process sharing the database sees every write. */
export async function openPostgresTupleStore(options: {
  url: string;
  schema?: string | undefined;
  poolSize?: number | undefined;
}): Promise<TupleStore> {
  const database = createDatabase<Schema>(options);
  const db = database.db;
  try {
    await migrateToLatest(db as never, tupleMigrations('postgres'), MIGRATION_TABLE, options.schema);
  } catch (err) {
    await database.close();
    throw err;
  }
  const columns = (r: TupleRow): TupleTable => ({
    object_type: r.objectType,
    object_id: r.objectId,
    relation: r.relation,
    user_type: r.userType,
    user_id: r.userId,
    user_relation: r.userRelation,
  });
  const userColumns = [
    'user_type as userType',
    'user_id as userId',
    'user_relation as userRelation',
  ] as const;
  /** The subjects holding `relation` on one object; callers narrow it to usersets or plain users. */
  const usersOf = (t: string, id: string, rel: string) =>
    db
      .selectFrom(TUPLE_TABLE)
      .select(userColumns)
      .where('object_type', '=', t)
      .where('object_id', '=', id)
      .where('relation', '=', rel);

  return {
    async has(row) {
      const found = await db
        .selectFrom(TUPLE_TABLE)
        .select(sql<number>`1`.as('one'))
        .where((eb) => eb.and(columns(row)))
        .executeTakeFirst();
      return found !== undefined;
    },
    async usersets(t, id, rel) {
      return (await usersOf(t, id, rel).where('user_relation', '<>', '').execute()) as UserColumns[];
    },
    async plainUsers(t, id, rel) {
      return (await usersOf(t, id, rel)
        .where('user_relation', '=', '')
        .where('user_id', '<>', '*')
        .execute()) as UserColumns[];
    },
    async objectIds(ut, uid, urel, ot, rel) {
      const rows = await db
        .selectFrom(TUPLE_TABLE)
        .select('object_id')
        .where('user_type', '=', ut)
        .where('user_id', '=', uid)
        .where('user_relation', '=', urel)
        .where('object_type', '=', ot)
        .where('relation', '=', rel)
        .execute();
      return rows.map((r) => r.object_id);
    },
    async write(writes, deletes) {
      await db.transaction().execute(async (trx) => {
        for (const row of deletes)
          await trx
            .deleteFrom(TUPLE_TABLE)
            .where((eb) => eb.and(columns(row)))
            .execute();
        if (writes.length > 0) {
          await trx
            .insertInto(TUPLE_TABLE)
            .values(writes.map(columns))
            .onConflict((oc) => oc.doNothing())
            .execute();
        }
      });
    },
    async read(filter: TupleFilter) {
      let q = db
        .selectFrom(TUPLE_TABLE)
        .select([
          'object_type as objectType',
          'object_id as objectId',
          'relation',
          'user_type as userType',
          'user_id as userId',
          'user_relation as userRelation',
        ]);
      if (filter.objectType !== undefined) q = q.where('object_type', '=', filter.objectType);
      if (filter.objectId !== undefined) q = q.where('object_id', '=', filter.objectId);
      if (filter.relation !== undefined) q = q.where('relation', '=', filter.relation);
      if (filter.userType !== undefined) q = q.where('user_type', '=', filter.userType);
      if (filter.userId !== undefined) q = q.where('user_id', '=', filter.userId);
      if (filter.userRelation !== undefined) q = q.where('user_relation', '=', filter.userRelation);
      return q.orderBy(['object_type', 'object_id', 'relation']).execute();
    },
    ping: () => database.ping(),
    close: () => database.close(),
  };
}
