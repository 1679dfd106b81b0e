import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AuthConfig } from '@mcp-langgraph/config';
import { createDatabase, type Database, migrateToLatest } from '@mcp-langgraph/db';
import type { Logger } from '@mcp-langgraph/observability';
import type { Kysely } from 'kysely';
import type { Registry } from 'prom-client';
import { type AuthContext, type AuthSettings, createAuthContext } from './context.js';
import { TOKEN_EXCHANGE } from './grants/token-exchange.js';
import { createClientMetadataResolver, isClientIdUrl } from './services/client-metadata.js';
import { createKeyRing, type KeyRing } from './services/keys.js';
import { createPasswordHasher, type PasswordHasher } from './services/passwords.js';
import { DEFAULT_SCOPES } from './services/scopes.js';
import type { ClientRecord } from './store/clients.js';
import { AUTH_MIGRATION_TABLE, authMigrations } from './store/migrations.js';
import type { AuthDB } from './store/schema.js';
import { createKeyStore, getOrCreateSetting } from './store/settings.js';

const stripSlash = (s: string) => s.replace(/\/+$/, '');

/** Derives route settings from the configuration (issuer may be overridden by tests binding port 0). */
export function settingsFrom(config: AuthConfig, issuer: string = config.AUTH_ISSUER): AuthSettings {
  const edge = stripSlash(config.EDGE_PUBLIC_URL);
  const mcp = `${edge}/mcp`;
  return {
    issuer: stripSlash(issuer),
    accessTokenTtl: config.AUTH_ACCESS_TOKEN_TTL,
    codeTtl: config.AUTH_CODE_TTL,
    refreshIdleTtl: config.AUTH_REFRESH_TOKEN_IDLE_TTL,
    refreshAbsoluteTtl: Math.max(config.AUTH_REFRESH_TOKEN_ABSOLUTE_TTL, config.AUTH_REFRESH_TOKEN_IDLE_TTL),
    edgeAudiences: [mcp, edge],
    defaultResource: config.AUTH_DEFAULT_RESOURCE ? stripSlash(config.AUTH_DEFAULT_RESOURCE) : mcp,
    consent: config.AUTH_CONSENT === 'true',
    clientMetadataDocuments: config.AUTH_CLIENT_METADATA_DOCUMENTS === 'true',
  };
}

/** Opens the configured store (PostgreSQL when `DATABASE_URL` is set) and applies the migrations. */
export async function openAuthStore(
  config: Pick<AuthConfig, 'DATABASE_URL' | 'DATA_DIR'>,
  options: { sqlitePath?: string; schema?: string } = {},
): Promise<Database<AuthDB>> {
  const database = createDatabase<AuthDB>({
    url: config.DATABASE_URL,
    sqlitePath: options.sqlitePath ?? join(config.DATA_DIR, 'auth.db'),
    schema: options.schema,
  });
  try {
    await migrateToLatest(
      database.db as Kysely<unknown>,
      authMigrations,
      AUTH_MIGRATION_TABLE,
      options.schema,
    );
  } catch (err) {
    await database.close();
    throw err;
  }
  return database;
}

/** Parses `AUTH_SEED_USERS` ("alice:secret-a,bob:secret-b"). */
export function parseSeedUsers(spec: string | undefined): { username: string; password: string }[] {
  return (spec ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((pair) => {
      const i = pair.indexOf(':');
      if (i <= 0 || i === pair.length - 1)
        throw new Error('AUTH_SEED_USERS entries must look like name:password');
      return { username: pair.slice(0, i), password: pair.slice(i + 1) };
    });
}

/** Creates or updates the seed users (refused in production by the configuration). */
export async function seedUsers(ctx: AuthContext, spec: string | undefined): Promise<void> {
  for (const { username, password } of parseSeedUsers(spec)) {
    const existing = await ctx.users.findByUsername(username);
    if (existing && (await ctx.passwords.verify(existing.passwordHash, password))) continue;
    await ctx.users.upsert({
      username,
      passwordHash: await ctx.passwords.hash(password),
      scopes: existing?.scopes ?? [...DEFAULT_SCOPES],
      tier: existing?.tier ?? 'free',
    });
  }
}

/** Registers (or updates) the MCP edge as a confidential client allowed to exchange tokens for the agent. */
export async function ensureEdgeClient(
  ctx: AuthContext,
  config: Pick<AuthConfig, 'EDGE_CLIENT_ID' | 'EDGE_CLIENT_SECRET' | 'AGENT_PUBLIC_URL'>,
): Promise<ClientRecord> {
  const existing = await ctx.clients.get(config.EDGE_CLIENT_ID);
  const keepHash =
    existing?.secretHash && (await ctx.passwords.verify(existing.secretHash, config.EDGE_CLIENT_SECRET));
  return ctx.clients.upsert({
    clientId: config.EDGE_CLIENT_ID,
    secretHash:
      keepHash && existing?.secretHash
        ? existing.secretHash
        : await ctx.passwords.hash(config.EDGE_CLIENT_SECRET),
    name: 'MCP edge',
    redirectUris: [],
    grantTypes: ['client_credentials', TOKEN_EXCHANGE],
    authMethod: 'client_secret_basic',
    scopes: [...DEFAULT_SCOPES],
    allowedAudiences: [stripSlash(config.AGENT_PUBLIC_URL)],
    tier: existing?.tier ?? 'enterprise',
    firstParty: true,
  });
}

/** Client ID Metadata Documents, when enabled; documents on private addresses only in development. */
function metadataDocuments(config: AuthConfig, logger: Logger, now: () => number) {
  if (config.AUTH_CLIENT_METADATA_DOCUMENTS !== 'true') return undefined;
  const resolver = createClientMetadataResolver({
    allowPrivateAddresses: config.APP_ENV === 'development',
    now,
  });
  return async (clientId: string) => {
    const client = await resolver.resolve(clientId);
    if (!client && isClientIdUrl(clientId))
      logger.warn(
        { client_id: clientId, reason: resolver.lastError(clientId) },
        'client metadata document refused',
      );
    return client;
  };
}

export interface AuthRuntime {
  context: AuthContext;
  database: Database<AuthDB>;
  keys: KeyRing;
  /** Periodic key reload and clean-up of expired rows; stopped by `close`. */
  startMaintenance(): void;
  close(): Promise<void>;
}

export interface AuthRuntimeOptions {
  config: AuthConfig;
  logger: Logger;
  registry: Registry;
  issuer?: string;
  database?: Database<AuthDB>;
  passwords?: PasswordHasher;
  now?: () => number;
  resolveExternalClient?: (clientId: string) => Promise<ClientRecord | undefined>;
}

/** Builds everything the app needs from configuration: store, keys, context, seed data. */
export async function createAuthRuntime(options: AuthRuntimeOptions): Promise<AuthRuntime> {
  const { config, logger } = options;
  const now = options.now ?? (() => Date.now() / 1000);
  const database = options.database ?? (await openAuthStore(config));
  const db = database.db;
  const settings = settingsFrom(config, options.issuer);
  const timers: NodeJS.Timeout[] = [];
  try {
    const keys = await createKeyRing({
      configured: config.AUTH_SIGNING_KEYS,
      store: createKeyStore(db),
      accessTokenTtl: config.AUTH_ACCESS_TOKEN_TTL,
      now: () => Math.floor(now()),
    });
    const formSecret = Buffer.from(
      await getOrCreateSetting(db, 'form_secret', () => randomBytes(32).toString('base64url')),
      'base64url',
    );
    const context = createAuthContext({
      db,
      logger,
      registry: options.registry,
      settings,
      keys,
      passwords: options.passwords ?? createPasswordHasher(),
      formSecret,
      throttle: {
        maxFailures: config.AUTH_LOGIN_MAX_FAILURES,
        lockoutSeconds: config.AUTH_LOGIN_LOCKOUT_SECONDS,
        baseDelayMs: config.AUTH_LOGIN_DELAY_MS,
        maxDelayMs: Math.max(config.AUTH_LOGIN_DELAY_MS * 8, config.AUTH_LOGIN_DELAY_MS),
      },
      resolveExternalClient: options.resolveExternalClient ?? metadataDocuments(config, logger, now),
      now,
    });
    if (config.APP_ENV !== 'production') await seedUsers(context, config.AUTH_SEED_USERS);
    await ensureEdgeClient(context, config);
    return {
      context,
      database,
      keys,
      startMaintenance() {
        timers.push(
          setInterval(() => {
            keys.reload().catch((err) => logger.warn({ err: (err as Error).message }, 'key reload failed'));
          }, 60_000).unref(),
          setInterval(() => {
            const t = Math.floor(now());
            Promise.all([
              context.codes.purgeExpired(t - 3600),
              context.refresh.purgeExpired(t - 86_400),
              context.revocations.purgeExpired(t),
              context.throttle.purgeExpired(t - config.AUTH_LOGIN_LOCKOUT_SECONDS),
            ]).catch((err) => logger.warn({ err: (err as Error).message }, 'clean-up failed'));
          }, 600_000).unref(),
        );
      },
      async close() {
        for (const t of timers) clearInterval(t);
        if (!options.database) await database.close();
      },
    };
  } catch (err) {
    if (!options.database) await database.close();
    throw err;
  }
}
