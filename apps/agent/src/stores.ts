import { join } from 'node:path';
import { type Authorizer, authorizerOptionsFromConfig, createAuthorizer } from '@mcp-langgraph/authz';
import type { AgentConfig } from '@mcp-langgraph/config';
import { createDatabase, type Database, migrateToLatest } from '@mcp-langgraph/db';
import type { Kysely } from 'kysely';
import type { Registry } from 'prom-client';
import { type Checkpointer, createPostgresCheckpointer, createSqliteCheckpointer } from './checkpointer.js';
import { migrateKnowledgeIndex } from './knowledge/migrations.js';
import { MIGRATION_TABLE, migrations } from './store/migrations.js';
import { createPostgresThreadLock, type PostgresThreadLock } from './store/thread-lock.js';
import type { AgentDatabase } from './store/threads.js';

/** Where the agent keeps what outlives a request, each store as configuration chooses it. */
export interface AgentStores {
  database: Database<AgentDatabase>;
  checkpointer: Checkpointer;
  authorizer: Authorizer;
  /** Only with PostgreSQL, where several replicas may serve one thread. */
  threadLock: PostgresThreadLock | undefined;
  /** Closes every store, the last opened first. */
  close(): Promise<void>;
}

export interface StoreOptions {
  /** Where `authz_*` metrics go. */
  registry: Registry;
  /** PostgreSQL schema for every store (tests isolate themselves with one); `public` otherwise. */
  postgresSchema?: string | undefined;
}

/**
 * Opens the thread table (migrated), the checkpointer, the authorizer and, with `DATABASE_URL`,
 * the thread lock: SQLite files under `DATA_DIR` by default, PostgreSQL with `DATABASE_URL`, and
 * OpenFGA or the tuple store the edge shares for authorization. If one cannot be opened, the ones
 * already open are closed again before the error is thrown, so a failed start leaks nothing.
 */
export async function openStores(config: AgentConfig, options: StoreOptions): Promise<AgentStores> {
  const schema = options.postgresSchema;
  const opened: Array<{ close(): Promise<void> }> = [];
  const keep = <T extends { close(): Promise<void> }>(store: T): T => {
    opened.push(store);
    return store;
  };
  const close = async () => {
    for (const store of opened.splice(0).reverse()) await store.close();
  };
  try {
    const database = keep(
      createDatabase<AgentDatabase>({
        url: config.DATABASE_URL,
        sqlitePath: join(config.DATA_DIR, 'agent.db'),
        schema,
      }),
    );
    // SQLite has no schemas; Kysely would look for its history in one.
    const historySchema = config.DATABASE_URL ? schema : undefined;
    await migrateToLatest(
      database.db as unknown as Kysely<unknown>,
      migrations,
      MIGRATION_TABLE,
      historySchema,
    );
    // The knowledge_search index keeps its tables, and their history, apart from the threads'.
    await migrateKnowledgeIndex(database, historySchema);
    const checkpointer = keep(
      config.DATABASE_URL
        ? await createPostgresCheckpointer(config.DATABASE_URL, schema)
        : createSqliteCheckpointer(join(config.DATA_DIR, 'checkpoints.db')),
    );
    // OpenFGA, PostgreSQL or the SQLite file the edge uses too (it reads the tuples written here).
    const authorizer = keep(
      await createAuthorizer({ ...authorizerOptionsFromConfig(config), schema, registry: options.registry }),
    );
    const threadLock = config.DATABASE_URL
      ? keep(createPostgresThreadLock({ url: config.DATABASE_URL }))
      : undefined;
    return { database, checkpointer, authorizer, threadLock, close };
  } catch (err) {
    await close();
    throw err;
  }
}
