import type { Dialect } from '@mcp-langgraph/db';
import type { CreateTableBuilder, Kysely, Migration } from 'kysely';

/**
 * One row per checkpoint. `checkpoint` is the checkpoint without its channel values (JSON);
 * `run_id` is copied out of the metadata so retention can group a thread's checkpoints by run
 * without decoding every metadata blob.
 */
export interface CheckpointsTable {
  thread_id: string;
  checkpoint_ns: string;
  checkpoint_id: string;
  parent_checkpoint_id: string | null;
  checkpoint: string;
  metadata_type: string;
  metadata: Uint8Array;
  run_id: string | null;
}

/**
 * A channel's value at one version, written once when the version changes (as the PostgreSQL
 * saver does) and shared by every checkpoint that carries that version. `checkpoint_id` is the
 * checkpoint that first wrote it: the newest one is where a message list looks for its base.
 */
export interface ValuesTable {
  thread_id: string;
  checkpoint_ns: string;
  channel: string;
  version: string;
  checkpoint_id: string;
  type: string;
  blob: Uint8Array | null;
}

/** Pending writes of a checkpoint's tasks. */
export interface WritesTable {
  thread_id: string;
  checkpoint_ns: string;
  checkpoint_id: string;
  task_id: string;
  idx: number;
  channel: string;
  type: string;
  blob: Uint8Array;
  task_path: string;
}

/**
 * The thread's message log: every message serialised once, at a position (`seq`) that never
 * changes; a message-list value is a list of position ranges into it. `digest` identifies the
 * serialised bytes, so a message seen again is found without comparing blobs.
 */
export interface MessagesTable {
  thread_id: string;
  checkpoint_ns: string;
  seq: number;
  digest: string;
  type: string;
  blob: Uint8Array;
}

export interface CheckpointDatabase {
  agent_checkpoints: CheckpointsTable;
  agent_checkpoint_values: ValuesTable;
  agent_checkpoint_writes: WritesTable;
  agent_checkpoint_messages: MessagesTable;
}

/** Every table of a thread's checkpoints, the order deletes take. */
export const CHECKPOINT_TABLES = [
  'agent_checkpoints',
  'agent_checkpoint_values',
  'agent_checkpoint_writes',
  'agent_checkpoint_messages',
] as const satisfies ReadonlyArray<keyof CheckpointDatabase>;

export const CHECKPOINT_MIGRATION_TABLE = 'agent_checkpoint_migrations';

/** Every table is keyed by thread and namespace first. */
function threadColumns<N extends string, C extends string>(
  table: CreateTableBuilder<N, C>,
): CreateTableBuilder<N, C | 'thread_id' | 'checkpoint_ns'> {
  return table
    .addColumn('thread_id', 'text', (c) => c.notNull())
    .addColumn('checkpoint_ns', 'text', (c) => c.notNull());
}

/** Schema history of the checkpoint tables; the binary column type is the one thing the dialects disagree on. */
export function checkpointMigrations(dialect: Dialect): Record<string, Migration> {
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    '0001_checkpoints': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('agent_checkpoints')
          .$call(threadColumns)
          .addColumn('checkpoint_id', 'text', (c) => c.notNull())
          .addColumn('parent_checkpoint_id', 'text')
          .addColumn('checkpoint', 'text', (c) => c.notNull())
          .addColumn('metadata_type', 'text', (c) => c.notNull())
          .addColumn('metadata', bytes, (c) => c.notNull())
          .addColumn('run_id', 'text')
          .addPrimaryKeyConstraint('agent_checkpoints_pk', ['thread_id', 'checkpoint_ns', 'checkpoint_id'])
          .execute();
        await db.schema
          .createTable('agent_checkpoint_values')
          .$call(threadColumns)
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('version', 'text', (c) => c.notNull())
          .addColumn('checkpoint_id', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('blob', bytes)
          .addPrimaryKeyConstraint('agent_checkpoint_values_pk', [
            'thread_id',
            'checkpoint_ns',
            'channel',
            'version',
          ])
          .execute();
        await db.schema
          .createTable('agent_checkpoint_writes')
          .$call(threadColumns)
          .addColumn('checkpoint_id', 'text', (c) => c.notNull())
          .addColumn('task_id', 'text', (c) => c.notNull())
          .addColumn('idx', 'integer', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('blob', bytes, (c) => c.notNull())
          .addColumn('task_path', 'text', (c) => c.notNull().defaultTo(''))
          .addPrimaryKeyConstraint('agent_checkpoint_writes_pk', [
            'thread_id',
            'checkpoint_ns',
            'checkpoint_id',
            'task_id',
            'idx',
          ])
          .execute();
        await db.schema
          .createTable('agent_checkpoint_messages')
          .$call(threadColumns)
          .addColumn('seq', 'integer', (c) => c.notNull())
          .addColumn('digest', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('blob', bytes, (c) => c.notNull())
          .addPrimaryKeyConstraint('agent_checkpoint_messages_pk', ['thread_id', 'checkpoint_ns', 'seq'])
          .execute();
      },
      async down(db: Kysely<unknown>) {
        for (const table of [
          'agent_checkpoint_messages',
          'agent_checkpoint_writes',
          'agent_checkpoint_values',
          'agent_checkpoints',
        ])
          await db.schema.dropTable(table).execute();
      },
    },
  };
}
