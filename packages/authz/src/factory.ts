import { join } from 'node:path';
import type { Registry } from 'prom-client';
import { type BatchAuthorizer, type DecisionCacheOptions, withDecisionCache } from './decision-cache.js';
import { EmbeddedAuthorizer } from './embedded.js';
import { type CircuitBreakerOptions, withGuard } from './guard.js';
import { PROJECT_MODEL } from './model.js';
import { loadModel } from './model-loader.js';
import { OpenFgaAuthorizer, type OpenFgaAuthorizerOptions } from './openfga.js';
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

/** Everything a service needs to pick and build its authorizer. */
export interface CreateAuthorizerOptions extends EmbeddedAuthorizerOptions {
  /** Use an OpenFGA server instead of the embedded engine. */
  openfga?: OpenFgaAuthorizerOptions | undefined;
  /** Decision cache settings, or `false` to decide every check afresh. On by default (1 s TTL). */
  cache?: DecisionCacheOptions | false | undefined;
  breaker?: CircuitBreakerOptions | undefined;
  /** Where to register `authz_*` metrics (the service's registry; never the global one). */
  registry?: Registry | undefined;
}

/**
 * Builds a ready authorizer: OpenFGA when `openfga` is given, else the embedded engine over SQLite
 * (default) or PostgreSQL (`databaseUrl`) with migrations applied; wrapped in the decision cache, the
 * circuit breaker and metrics. It fails closed: any check it cannot decide throws an `AuthzError`.
 */
export async function createAuthorizer(options: CreateAuthorizerOptions = {}): Promise<BatchAuthorizer> {
  const engine = options.openfga
    ? new OpenFgaAuthorizer(options.openfga)
    : await createEmbeddedAuthorizer(options);
  // metrics → cache → circuit breaker → engine: cached decisions are counted too, and recent decisions
  // keep answering during a short outage while the breaker spares the dead engine.
  const protectedEngine = withGuard(engine, { breaker: options.breaker });
  const cached =
    options.cache === false ? protectedEngine : withDecisionCache(protectedEngine, options.cache);
  return withGuard(cached, { registry: options.registry, breaker: false });
}

/** The configuration variables the services share for authorization (see `@mcp-langgraph/config`). */
export interface AuthzEnvironment {
  OPENFGA_API_URL?: string | undefined;
  OPENFGA_STORE_ID?: string | undefined;
  OPENFGA_MODEL_ID?: string | undefined;
  OPENFGA_API_TOKEN?: string | undefined;
  AUTHZ_DATABASE_URL?: string | undefined;
  DATABASE_URL?: string | undefined;
  DATA_DIR?: string | undefined;
}

/**
 * Maps configuration to {@link CreateAuthorizerOptions}: OpenFGA when `OPENFGA_API_URL` and
 * `OPENFGA_STORE_ID` are set; else PostgreSQL (`AUTHZ_DATABASE_URL`, then `DATABASE_URL`); else the
 * SQLite file `${DATA_DIR}/authz.db`, which the edge and the agent share on one machine.
 */
export function authorizerOptionsFromConfig(config: AuthzEnvironment): CreateAuthorizerOptions {
  if (config.OPENFGA_API_URL && config.OPENFGA_STORE_ID) {
    return {
      openfga: {
        apiUrl: config.OPENFGA_API_URL,
        storeId: config.OPENFGA_STORE_ID,
        modelId: config.OPENFGA_MODEL_ID,
        apiToken: config.OPENFGA_API_TOKEN,
      },
    };
  }
  const databaseUrl = config.AUTHZ_DATABASE_URL ?? config.DATABASE_URL;
  if (databaseUrl) return { databaseUrl };
  return { sqlitePath: join(config.DATA_DIR ?? '.data', 'authz.db') };
}
