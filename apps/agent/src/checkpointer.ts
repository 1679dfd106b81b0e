import { createDatabase, type Database } from '@mcp-langgraph/db';
import { AgentCheckpointSaver } from './checkpoint/saver.js';
import type { CheckpointDatabase } from './checkpoint/schema.js';
import { openCheckpointFile } from './checkpoint/sqlite.js';

/** Where conversation checkpoints are kept, with the hooks `/readyz`, shutdown and the run engine need. */
export interface Checkpointer {
  saver: AgentCheckpointSaver;
  kind: 'sqlite' | 'postgres';
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * Drops the checkpoints of a thread that neither the history API nor a pending run needs: kept
   * are the last checkpoint of every run (metadata `run_id`), the most recent ones
   * (`AGENT_CHECKPOINTS_RETAINED`) and so the latest, with the values, writes and messages they
   * use. The run engine calls it after each run, while the thread's other runs wait.
   */
  prune(threadId: string): Promise<void>;
  /** Makes `to` an independent copy of every checkpoint and pending write of `from` (replacing what `to` held). */
  copyThread(from: string, to: string): Promise<void>;
}

export interface CheckpointerOptions {
  /** Most recent checkpoints `prune` keeps besides each run's last one (`AGENT_CHECKPOINTS_RETAINED`, 10). */
  retained?: number | undefined;
}

function checkpointerOn(
  database: Database<CheckpointDatabase>,
  saver: AgentCheckpointSaver,
  kind: Checkpointer['kind'],
): Checkpointer {
  return {
    saver,
    kind,
    ping: () => database.ping(),
    close: () => database.close(),
    async prune(threadId) {
      await saver.prune(threadId);
    },
    copyThread: (from, to) => saver.copyThread(from, to),
  };
}

/**
 * Checkpoints in a SQLite file (the embedded default) or `:memory:`; the tables are created on
 * first use. The file is opened as every store of the platform opens one (`openSqlite`: owner-only
 * file and folder, WAL, busy timeout).
 */
export function createSqliteCheckpointer(path: string, options: CheckpointerOptions = {}): Checkpointer {
  const database = openCheckpointFile(path);
  const saver = new AgentCheckpointSaver(database.db, { dialect: 'sqlite', retained: options.retained });
  return checkpointerOn(database, saver, 'sqlite');
}

/** Checkpoints in PostgreSQL (in `schema`); migrates its tables before returning (safe across replicas). */
export async function createPostgresCheckpointer(
  url: string,
  schema?: string,
  options: CheckpointerOptions = {},
): Promise<Checkpointer> {
  const database = createDatabase<CheckpointDatabase>({ url, schema });
  const saver = new AgentCheckpointSaver(database.db, {
    dialect: 'postgres',
    schema,
    retained: options.retained,
  });
  try {
    await saver.setup();
  } catch (err) {
    await database.close();
    throw err;
  }
  return checkpointerOn(database, saver, 'postgres');
}
