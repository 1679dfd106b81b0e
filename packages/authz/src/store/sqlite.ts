import { migrateToLatest, openSqlite } from '@mcp-langgraph/db';
import { Kysely, SqliteDialect } from 'kysely';
import type { TupleRow } from '../tuple.js';
import { MIGRATION_TABLE, TUPLE_TABLE, tupleMigrations } from './migrations.js';
import type { TupleFilter, TupleStore, UserColumns } from './types.js';

const COLUMNS =
  'object_type as objectType, object_id as objectId, relation, user_type as userType, user_id as userId, user_relation as userRelation';

/**
 * Tuples in a SQLite file (or `:memory:`). The store owns its connection so that reads run as
 * synchronous prepared statements: a check costs a few b-tree seeks and no query building. Every
 * read sees the latest commit of any process sharing the file (WAL), so there is no cache to go stale.
 */
export async function openSqliteTupleStore(path: string): Promise<TupleStore> {
  const sqlite = openSqlite(path);
  const kysely = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    await migrateToLatest(kysely, tupleMigrations('sqlite'), MIGRATION_TABLE);
  } catch (err) {
    await kysely.destroy();
    throw err;
  }

  const key =
    'object_type = ? and object_id = ? and relation = ? and user_type = ? and user_id = ? and user_relation = ?';
  const hasStmt = sqlite.prepare(`select 1 from ${TUPLE_TABLE} where ${key}`).pluck();
  const usersetsStmt = sqlite.prepare(
    `select user_type as userType, user_id as userId, user_relation as userRelation from ${TUPLE_TABLE}
     where object_type = ? and object_id = ? and relation = ? and user_relation <> ''`,
  );
  const plainStmt = sqlite.prepare(
    `select user_type as userType, user_id as userId, user_relation as userRelation from ${TUPLE_TABLE}
     where object_type = ? and object_id = ? and relation = ? and user_relation = '' and user_id <> '*'`,
  );
  const objectIdsStmt = sqlite
    .prepare(
      `select object_id from ${TUPLE_TABLE}
       where user_type = ? and user_id = ? and user_relation = ? and object_type = ? and relation = ?`,
    )
    .pluck();
  const insertStmt = sqlite.prepare(
    `insert into ${TUPLE_TABLE} (object_type, object_id, relation, user_type, user_id, user_relation)
     values (?, ?, ?, ?, ?, ?) on conflict do nothing`,
  );
  const deleteStmt = sqlite.prepare(`delete from ${TUPLE_TABLE} where ${key}`);
  const args = (r: TupleRow) =>
    [r.objectType, r.objectId, r.relation, r.userType, r.userId, r.userRelation] as const;
  const apply = sqlite.transaction((writes: readonly TupleRow[], deletes: readonly TupleRow[]) => {
    for (const row of deletes) deleteStmt.run(...args(row));
    for (const row of writes) insertStmt.run(...args(row));
  });
  let closed = false;

  return {
    has: (row) => hasStmt.get(...args(row)) !== undefined,
    usersets: (t, id, rel) => usersetsStmt.all(t, id, rel) as UserColumns[],
    plainUsers: (t, id, rel) => plainStmt.all(t, id, rel) as UserColumns[],
    objectIds: (ut, uid, urel, ot, rel) => objectIdsStmt.all(ut, uid, urel, ot, rel) as string[],
    async write(writes, deletes) {
      // IMMEDIATE takes the write lock up front, so a second process waits (busy_timeout) instead of failing.
      apply.immediate(writes, deletes);
    },
    async read(filter: TupleFilter) {
      const where: string[] = [];
      const values: string[] = [];
      const add = (column: string, value: string | undefined) => {
        if (value === undefined) return;
        where.push(`${column} = ?`);
        values.push(value);
      };
      add('object_type', filter.objectType);
      add('object_id', filter.objectId);
      add('relation', filter.relation);
      add('user_type', filter.userType);
      add('user_id', filter.userId);
      add('user_relation', filter.userRelation);
      const clause = where.length ? `where ${where.join(' and ')}` : '';
      return sqlite
        .prepare(`select ${COLUMNS} from ${TUPLE_TABLE} ${clause} order by object_type, object_id, relation`)
        .all(...values) as TupleRow[];
    },
    async ping() {
      sqlite.prepare('select 1').get();
    },
    async close() {
      if (closed) return;
      closed = true;
      await kysely.destroy();
    },
  };
}
