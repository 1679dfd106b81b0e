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
};

export const MIGRATION_TABLE = 'agent_migrations';
