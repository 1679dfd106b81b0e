import type { BaseCheckpointSaver } from '@langchain/langgraph';
import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';
import { openSqlite } from '@mcp-langgraph/db';
import pg from 'pg';

/** Where conversation checkpoints are kept, with the hooks `/readyz` and shutdown need. */
export interface Checkpointer {
  saver: BaseCheckpointSaver;
  kind: 'sqlite' | 'postgres';
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Checkpoints in a SQLite file (the embedded default) or `:memory:`. */
export function createSqliteCheckpointer(path: string): Checkpointer {
  // Owner-only files and the platform's pragmas (WAL, busy timeout), as every other store.
  const saver = new SqliteSaver(openSqlite(path));
  return {
    saver,
    kind: 'sqlite',
    async ping() {
      saver.db.prepare('select 1').get();
    },
    async close() {
      saver.db.close();
    },
  };
}

/** Checkpoints in PostgreSQL; creates its tables on first use (idempotent across replicas). */
export async function createPostgresCheckpointer(url: string, schema = 'public'): Promise<Checkpointer> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const saver = new PostgresSaver(pool, undefined, { schema });
  try {
    await saver.setup();
  } catch (err) {
    await pool.end();
    throw err;
  }
  return {
    saver,
    kind: 'postgres',
    async ping() {
      await pool.query('select 1');
    },
    async close() {
      await pool.end();
    },
  };
}
