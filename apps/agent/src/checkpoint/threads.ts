import { type Kysely, sql } from 'kysely';
import type { CheckpointDatabase } from './schema.js';

type Db = Kysely<CheckpointDatabase>;
type Table = keyof CheckpointDatabase;

/** Every column of each table except `thread_id`, which a copy replaces. */
const COLUMNS = {
  agent_checkpoints: [
    'checkpoint_ns',
    'checkpoint_id',
    'parent_checkpoint_id',
    'checkpoint',
    'metadata_type',
    'metadata',
    'run_id',
  ],
  agent_checkpoint_values: ['checkpoint_ns', 'channel', 'version', 'checkpoint_id', 'type', 'blob'],
  agent_checkpoint_writes: [
    'checkpoint_ns',
    'checkpoint_id',
    'task_id',
    'idx',
    'channel',
    'type',
    'blob',
    'task_path',
  ],
  agent_checkpoint_messages: ['checkpoint_ns', 'seq', 'digest', 'type', 'blob'],
} as const satisfies Record<Table, readonly string[]>;

const TABLES = Object.keys(COLUMNS) as Table[];

async function deleteIn(db: Db, threadId: string): Promise<void> {
  for (const table of TABLES) await db.deleteFrom(table).where('thread_id', '=', threadId).execute();
}

/** Removes every checkpoint, value, write and logged message of the thread. */
export async function deleteThreadRows(db: Db, threadId: string): Promise<void> {
  await db.transaction().execute((trx) => deleteIn(trx, threadId));
}

/**
 * Makes `to` a copy of `from`, row for row inside the database (nothing is decoded), replacing
 * whatever `to` held. Checkpoint ids stay the same, so a checkpoint of the copy is addressed as
 * in the original; the copy shares no rows with it, so either can change or go on its own.
 */
export async function copyThreadRows(db: Db, from: string, to: string): Promise<void> {
  if (from === to) return;
  await db.transaction().execute(async (trx) => {
    await deleteIn(trx, to);
    for (const table of TABLES) {
      const columns = COLUMNS[table];
      await trx
        .insertInto(table)
        .columns(['thread_id', ...columns] as never)
        .expression(
          trx
            .selectFrom(table)
            .select([sql<string>`cast(${to} as text)`.as('thread_id'), ...columns] as never)
            .where('thread_id', '=', from) as never,
        )
        .execute();
    }
  });
}
