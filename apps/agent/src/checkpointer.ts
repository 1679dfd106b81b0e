import type { BaseCheckpointSaver, CheckpointTuple } from '@langchain/langgraph';
import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';
import { openSqlite } from '@mcp-langgraph/db';
import pg from 'pg';

/** Where conversation checkpoints are kept, with the hooks `/readyz`, shutdown and the run engine need. */
export interface Checkpointer {
  saver: BaseCheckpointSaver;
  kind: 'sqlite' | 'postgres';
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * Drops the checkpoints of a thread that neither the history API nor a pending run needs: kept
   * are the last checkpoint of every run, the most recent ones (`AGENT_CHECKPOINTS_RETAINED`) and
   * the latest. Called by the run engine after each run, with the thread's runs held back.
   */
  prune(threadId: string): Promise<void>;
  /** Makes `to` an independent copy of every checkpoint and pending write of `from`. */
  copyThread(from: string, to: string): Promise<void>;
}

/** Copies a thread through the saver's public methods, oldest checkpoint first. */
async function copyThroughSaver(saver: BaseCheckpointSaver, from: string, to: string): Promise<void> {
  const tuples: CheckpointTuple[] = [];
  for await (const tuple of saver.list({ configurable: { thread_id: from } })) tuples.push(tuple);
  await saver.deleteThread(to);
  for (const tuple of tuples.reverse()) {
    const ns = (tuple.config.configurable?.checkpoint_ns as string | undefined) ?? '';
    const parent = tuple.parentConfig?.configurable?.checkpoint_id as string | undefined;
    const config = await saver.put(
      { configurable: { thread_id: to, checkpoint_ns: ns, checkpoint_id: parent } },
      tuple.checkpoint,
      tuple.metadata ?? { source: 'update', step: -1, parents: {} },
      tuple.checkpoint.channel_versions,
    );
    const byTask = new Map<string, Array<[string, unknown]>>();
    for (const [task, channel, value] of tuple.pendingWrites ?? [])
      byTask.set(task, [...(byTask.get(task) ?? []), [channel, value]]);
    for (const [task, writes] of byTask) await saver.putWrites(config, writes, task);
  }
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
    async prune() {},
    copyThread: (from, to) => copyThroughSaver(saver, from, to),
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
    async prune() {},
    copyThread: (from, to) => copyThroughSaver(saver, from, to),
  };
}
