import { type Kysely, type Migration, sql } from 'kysely';

export const TUPLE_TABLE = 'authz_tuples';
export const MIGRATION_TABLE = 'authz_migrations';

const KEY_COLUMNS = [
  'object_type',
  'object_id',
  'relation',
  'user_type',
  'user_id',
  'user_relation',
] as const;

/**
 * The tuple table: the primary key serves object-side reads (`object#relation` → users) and a second
 * index serves user-side reads (user → objects) for list objects. `user_relation` is '' for plain
 * users and wildcards so that the key stays unique without NULLs.
 */
export function tupleMigrations(dialect: 'sqlite' | 'postgres'): Record<string, Migration> {
  return {
    '0001_authz_tuples': {
      async up(db: Kysely<unknown>) {
        let table = db.schema
          .createTable(TUPLE_TABLE)
          .addColumn('object_type', 'text', (c) => c.notNull())
          .addColumn('object_id', 'text', (c) => c.notNull())
          .addColumn('relation', 'text', (c) => c.notNull())
          .addColumn('user_type', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('user_relation', 'text', (c) => c.notNull().defaultTo(''))
          .addColumn('created_at', dialect === 'postgres' ? 'timestamptz' : 'text', (c) =>
            c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`),
          )
          .addPrimaryKeyConstraint(`${TUPLE_TABLE}_pk`, [...KEY_COLUMNS]);
        // Without a rowid SQLite clusters rows by the key, so an object-side read is one b-tree seek.
        if (dialect === 'sqlite') table = table.modifyEnd(sql`without rowid`);
        await table.execute();
        await db.schema
          .createIndex(`${TUPLE_TABLE}_by_user`)
          .on(TUPLE_TABLE)
          .columns(['user_type', 'user_id', 'user_relation', 'object_type', 'relation', 'object_id'])
          .execute();
      },
      async down(db: Kysely<unknown>) {
        await db.schema.dropTable(TUPLE_TABLE).execute();
      },
    },
  };
}
