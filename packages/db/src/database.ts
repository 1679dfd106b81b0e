import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';

export type Dialect = 'sqlite' | 'postgres';

/** Where a service keeps its relational data: PostgreSQL when `url` is set, else a SQLite file. */
export interface DatabaseOptions {
  /** A `postgres://` URL. When present it wins over `sqlitePath`. */
  url?: string | undefined;
  /** SQLite file path (created with its folder), or `:memory:`. */
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
  const path = options.sqlitePath ?? ':memory:';
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  // WAL lets the edge and the agent share one file: readers never block the single writer.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
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
