import { EmbeddedAuthorizer } from './embedded.js';
import { PROJECT_MODEL } from './model.js';
import { loadModel } from './model-loader.js';
import { openPostgresTupleStore } from './store/postgres.js';
import { openSqliteTupleStore } from './store/sqlite.js';
import type { TupleStore } from './store/types.js';

/** How to build the embedded engine. */
export interface EmbeddedAuthorizerOptions {
  /** PostgreSQL URL for the tuple store; when absent tuples live in SQLite. */
  databaseUrl?: string | undefined;
  /** SQLite file shared by every process on the machine (WAL), or `:memory:` (the default). */
  sqlitePath?: string | undefined;
  /** PostgreSQL schema (tests isolate themselves with one). */
  schema?: string | undefined;
  /** Model in OpenFGA DSL; defaults to the project's `model.fga`. */
  model?: string | undefined;
}

/** Opens the tuple store chosen by the options and applies its migrations. */
export async function openTupleStore(options: EmbeddedAuthorizerOptions): Promise<TupleStore> {
  if (options.databaseUrl)
    return openPostgresTupleStore({ url: options.databaseUrl, schema: options.schema });
  return openSqliteTupleStore(options.sqlitePath ?? ':memory:');
}

/** The embedded engine over the configured store, migrations applied. */
export async function createEmbeddedAuthorizer(
  options: EmbeddedAuthorizerOptions = {},
): Promise<EmbeddedAuthorizer> {
  const model = loadModel(options.model ?? PROJECT_MODEL);
  return new EmbeddedAuthorizer(model, await openTupleStore(options));
}
