import type { Database } from '@mcp-langgraph/db';
import { openSqlite } from '@mcp-langgraph/db';
import type SQLite from 'better-sqlite3';
import { Kysely, type SqliteDatabase, SqliteDialect, type SqliteStatement } from 'kysely';
import type { CheckpointDatabase } from './schema.js';

/** Distinct statements kept prepared: a graph step runs a handful, each with a few row counts. */
const PREPARED = 256;

/**
 * The SQLite handle as Kysely sees it, with prepared statements reused: Kysely prepares every
 * query it runs, and preparing the step statements again cost as much as running them. Reuse is
 * safe because Kysely runs one query at a time on its single SQLite connection.
 */
export function reusingStatements(sqlite: SQLite.Database, size = PREPARED): SqliteDatabase {
  const prepared = new Map<string, SqliteStatement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      let statement = prepared.get(text);
      if (statement) {
        // Most recently used last, so the oldest is the one evicted.
        prepared.delete(text);
      } else {
        statement = sqlite.prepare(text) as unknown as SqliteStatement;
        if (prepared.size >= size) prepared.delete(prepared.keys().next().value!);
      }
      prepared.set(text, statement);
      return statement;
    },
  };
}

/** The checkpoint file opened as every store opens one (`openSqlite`: owner-only, WAL), behind Kysely. */
export function openCheckpointFile(path: string): Database<CheckpointDatabase> {
  const sqlite = openSqlite(path);
  const db = new Kysely<CheckpointDatabase>({
    dialect: new SqliteDialect({ database: reusingStatements(sqlite) }),
  });
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
