import { join } from 'node:path';
import type { AuthConfig } from '@mcp-langgraph/config';
import { createDatabase, type Database, migrateToLatest } from '@mcp-langgraph/db';
import type { Kysely } from 'kysely';
import { AUTH_MIGRATION_TABLE, authMigrations } from './migrations.js';
import type { AuthDB } from './schema.js';

/** Where the configured store lives: another SQLite file (`:memory:`), or a PostgreSQL schema. */
export interface StoreLocation {
  sqlitePath?: string | undefined;
  schema?: string | undefined;
}

/** Opens the configured store (PostgreSQL when `DATABASE_URL` is set) and applies the migrations. */
export async function openAuthStore(
  config: Pick<AuthConfig, 'DATABASE_URL' | 'DATA_DIR'>,
  location: StoreLocation = {},
): Promise<Database<AuthDB>> {
  const database = createDatabase<AuthDB>({
    url: config.DATABASE_URL,
    sqlitePath: location.sqlitePath ?? join(config.DATA_DIR, 'auth.db'),
    schema: location.schema,
  });
  try {
    await migrateToLatest(
      database.db as Kysely<unknown>,
      authMigrations,
      AUTH_MIGRATION_TABLE,
      location.schema,
    );
  } catch (err) {
    await database.close();
    throw err;
  }
  return database;
}
