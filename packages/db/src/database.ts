import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { openSqlite } from './sqlite.js';

export type Dialect = 'sqlite' | 'postgres';

/** Where a service keeps its relational data: PostgreSQL when `url` is set, else a SQLite file. */
export interface DatabaseOptions {
  /** A `postgres://` URL. When present it wins over `sqlitePath`. */
  url?: string | undefined;
  /** SQLite file path (created with its folder, owner-only), or `:memory:`. */
  sqlitePath?: string | undefined;
  /** Largest PostgreSQL pool size. */
  poolSize?: number | undefined;
  /** PostgreSQL schema to use (tests isolate themselves with one). */
  schema?: string | undefined;
}

export interface Database<DB> {
  readonly db: Kysely<DB>;
  readonly dialect: Dialect;
  /** Cheap round trip used by `/readyz`. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Opens the store chosen by configuration behind one Kysely instance. */
export function createDatabase<DB>(options: DatabaseOptions): Database<DB> {
  if (options.url) {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      dialect: 'postgres',
      async ping() {
        await pool.query('select 1');
      },
      async close() {
        await db.destroy();
      },
    };
  }
  const sqlite = openSqlite(options.sqlitePath ?? ':memory:', { foreignKeys: true });
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    db,
    dialect: 'sqlite',
    async ping() {
      sqlite.prepare('select 1').get();
    },
    async close() {
      await db.destroy();
    },
  };
}
