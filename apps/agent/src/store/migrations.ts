import type { Kysely, Migration } from 'kysely';

/** Schema history of the agent's own tables (run with the `agent_migrations` table). */
export const migrations: Record<string, Migration> = {
  '0001_threads': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('agent_threads')
        .addColumn('thread_id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('owner', 'varchar(300)', (c) => c.notNull())
        .addColumn('title', 'varchar(200)')
        .addColumn('metadata', 'text', (c) => c.notNull())
        // ISO 8601 strings sort correctly and read the same from SQLite and PostgreSQL.
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('agent_threads_updated_at')
        .on('agent_threads')
        .column('updated_at')
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('agent_threads').execute();
    },
  },
  '0002_runs': {
    async up(db: Kysely<unknown>) {
      // A thread's status moves with its runs (busy, idle, interrupted, error).
      await db.schema
        .alterTable('agent_threads')
        .addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('idle'))
        .execute();
      // Every run is a record before it starts: the caller's input is committed before the API answers.
      await db.schema
        .createTable('agent_runs')
        .addColumn('run_id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('thread_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('assistant_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('metadata', 'text', (c) => c.notNull())
        .addColumn('kwargs', 'text', (c) => c.notNull())
        .addColumn('multitask_strategy', 'varchar(16)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(0))
        // Which worker holds the run and until when; a lease that lapsed is taken over.
        .addColumn('worker', 'varchar(64)')
        .addColumn('lease_until', 'varchar(32)')
        // The thread's latest checkpoint when the run first started: a retry knows whether its input landed.
        .addColumn('base_checkpoint', 'varchar(64)')
        .addColumn('cancel', 'varchar(16)')
        .addColumn('error', 'text')
        .execute();
      await db.schema
        .createIndex('agent_runs_thread')
        .on('agent_runs')
        .columns(['thread_id', 'created_at'])
        .execute();
      await db.schema
        .createIndex('agent_runs_status')
        .on('agent_runs')
        .columns(['status', 'created_at'])
        .execute();
      // What a run streamed, so any replica can replay it (`join`, `Last-Event-ID`); purged after the run.
      await db.schema
        .createTable('agent_run_events')
        .addColumn('run_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('event', 'varchar(200)', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addPrimaryKeyConstraint('agent_run_events_pk', ['run_id', 'seq'])
        .execute();
      await db.schema
        .createIndex('agent_run_events_created')
        .on('agent_run_events')
        .column('created_at')
        .execute();
      // Who a thread is shared with, so deleting the thread removes those tuples too.
      await db.schema
        .createTable('agent_thread_shares')
        .addColumn('thread_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('subject', 'varchar(300)', (c) => c.notNull())
        .addColumn('role', 'varchar(16)', (c) => c.notNull())
        .addPrimaryKeyConstraint('agent_thread_shares_pk', ['thread_id', 'subject', 'role'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('agent_thread_shares').execute();
      await db.schema.dropTable('agent_run_events').execute();
      await db.schema.dropTable('agent_runs').execute();
      await db.schema.alterTable('agent_threads').dropColumn('status').execute();
    },
  },
};

export const MIGRATION_TABLE = 'agent_migrations';
