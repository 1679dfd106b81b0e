import { randomBytes } from 'node:crypto';
import { type AuthConfig, createLiveConfig, type LiveConfig } from '@mcp-langgraph/config';
import type { Database } from '@mcp-langgraph/db';
import { type Logger, type Metrics, type RunnableService, serviceBase } from '@mcp-langgraph/observability';
import { normalizeUrl } from '@mcp-langgraph/protocol';
import { createApp } from './app.js';
import { type AuthContext, type AuthSettings, createAuthContext } from './context.js';
import { startMaintenance } from './maintenance.js';
import { type AuthSecrets, authSecrets, followAuthRotations } from './secret-rotation.js';
import { ensureAgentClient, ensureEdgeClient, seedUsers } from './seed.js';
import {
  createClientMetadataResolver,
  type DocumentFetcher,
  isClientIdUrl,
} from './services/client-metadata.js';
import { createKeyRing } from './services/keys.js';
import { createPasswordHasher, type PasswordHasher } from './services/passwords.js';
import { openAuthStore, type StoreLocation } from './store/open.js';
import type { AuthDB } from './store/schema.js';
import { createKeyStore, getOrCreateSetting } from './store/settings.js';

/** What tests substitute for what production gets from its configuration. */
export interface AuthServiceOverrides {
  logger?: Logger;
  metrics?: Metrics;
  /** Issuer to announce instead of `AUTH_ISSUER` (a test server learns its port only once bound). */
  issuer?: string | undefined;
  /** A store the caller opened and closes (several services over one store); else opened from config. */
  database?: Database<AuthDB>;
  /** Where the configured store lives when the service opens it (`:memory:`, a PostgreSQL schema). */
  store?: StoreLocation;
  /** Instead of the production argon2id parameters. */
  passwords?: PasswordHasher;
  /** The clock, in seconds since the epoch. */
  now?: (() => number) | undefined;
  /** Serves Client ID Metadata Documents instead of the HTTPS fetch. */
  fetchClientMetadata?: DocumentFetcher | undefined;
  /**
   * The configuration as it follows the secret manager (`loadLiveServiceConfig`): rotated
   * secrets are applied without a restart. Unset, the configuration never changes.
   */
  live?: LiveConfig<AuthConfig> | undefined;
}

export interface AuthService extends RunnableService {
  metrics: Metrics;
  context: AuthContext;
  database: Database<AuthDB>;
  /** Resolves once every rotation announced so far has been applied (or refused). */
  rotationsSettled(): Promise<void>;
}

/** Derives route settings from the configuration; `issuer` overrides `AUTH_ISSUER`, under the same URL rule. */
export function settingsFrom(config: AuthConfig, issuer: string = config.AUTH_ISSUER): AuthSettings {
  const edge = config.EDGE_PUBLIC_URL;
  const mcp = `${edge}/mcp`;
  return {
    issuer: normalizeUrl(issuer),
    accessTokenTtl: config.AUTH_ACCESS_TOKEN_TTL,
    codeTtl: config.AUTH_CODE_TTL,
    refreshIdleTtl: config.AUTH_REFRESH_TOKEN_IDLE_TTL,
    refreshAbsoluteTtl: Math.max(config.AUTH_REFRESH_TOKEN_ABSOLUTE_TTL, config.AUTH_REFRESH_TOKEN_IDLE_TTL),
    edgeAudiences: [mcp, edge],
    defaultResource: config.AUTH_DEFAULT_RESOURCE ?? mcp,
    consent: config.AUTH_CONSENT === 'true',
    clientMetadataDocuments: config.AUTH_CLIENT_METADATA_DOCUMENTS === 'true',
    clockToleranceSec: config.AUTH_CLOCK_TOLERANCE_SECONDS,
  };
}

/** Client ID Metadata Documents, when enabled; documents on private addresses only in development. */
function metadataDocuments(
  config: AuthConfig,
  logger: Logger,
  now: () => number,
  fetchDocument: DocumentFetcher | undefined,
) {
  if (config.AUTH_CLIENT_METADATA_DOCUMENTS !== 'true') return undefined;
  const resolver = createClientMetadataResolver({
    allowPrivateAddresses: config.APP_ENV === 'development',
    now,
    fetchDocument,
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

async function buildContext(
  config: AuthConfig,
  database: Database<AuthDB>,
  deps: {
    logger: Logger;
    metrics: Metrics;
    now: () => number;
    overrides: AuthServiceOverrides;
    secrets: AuthSecrets;
  },
): Promise<AuthContext> {
  const { logger, now, overrides } = deps;
  const db = database.db;
  const keys = await createKeyRing({
    configured: config.AUTH_SIGNING_KEYS,
    store: createKeyStore(db),
    accessTokenTtl: config.AUTH_ACCESS_TOKEN_TTL,
    now: () => Math.floor(now()),
  });
  const formSecret = await getOrCreateSetting(db, 'form_secret', () => randomBytes(32).toString('base64url'));
  return createAuthContext({
    db,
    logger,
    registry: deps.metrics.registry,
    settings: settingsFrom(config, overrides.issuer),
    keys,
    passwords: overrides.passwords ?? createPasswordHasher(),
    formSecret: Buffer.from(formSecret, 'base64url'),
    throttle: {
      maxFailures: config.AUTH_LOGIN_MAX_FAILURES,
      lockoutSeconds: config.AUTH_LOGIN_LOCKOUT_SECONDS,
      baseDelayMs: config.AUTH_LOGIN_DELAY_MS,
      maxDelayMs: Math.max(config.AUTH_LOGIN_DELAY_MS * 8, config.AUTH_LOGIN_DELAY_MS),
    },
    resolveExternalClient: metadataDocuments(config, logger, now, overrides.fetchClientMetadata),
    configuredClientSecrets: deps.secrets.clientSecrets,
    now,
  });
}

/**
 * The authorization server's composition root: store, signing keys, context, seed users, the
 * edge's and the agent's clients, maintenance timers and the app, built from configuration. `main.ts` runs it as it
 * is; `startAuthServer` passes overrides and gets the same wiring. Closing it stops the timers and
 * closes the store it opened; the HTTP server is the caller's.
 */
export async function createAuthService(
  config: AuthConfig,
  overrides: AuthServiceOverrides = {},
): Promise<AuthService> {
  const secrets = authSecrets(config);
  const base = serviceBase('auth', config, config.AUTH_PORT, {
    ...overrides,
    gatewaySecret: () => secrets.gateway.accepted(),
  });
  const { logger, metrics } = base;
  const now = overrides.now ?? (() => Date.now() / 1000);
  const ownsDatabase = overrides.database === undefined;
  const database = overrides.database ?? (await openAuthStore(config, overrides.store));
  try {
    const context = await buildContext(config, database, { logger, metrics, now, overrides, secrets });
    if (config.APP_ENV !== 'production') await seedUsers(context, config.AUTH_SEED_USERS);
    await ensureEdgeClient(context, config);
    await ensureAgentClient(context, config);
    const { app, ops, close } = createApp({
      base,
      context,
      probes: [{ name: 'database', check: () => database.ping() }],
    });
    const stopMaintenance = startMaintenance(
      context,
      { lockoutSeconds: config.AUTH_LOGIN_LOCKOUT_SECONDS },
      logger,
    );
    const live = overrides.live ?? createLiveConfig(config);
    const rotations = followAuthRotations(live, { context, secrets, logger, registry: metrics.registry });
    return {
      app,
      ops,
      listen: base.listen,
      logger,
      metrics,
      context,
      database,
      info: { issuer: context.settings.issuer, store: database.dialect },
      rotationsSettled: rotations.settled,
      async close() {
        rotations.stop();
        stopMaintenance();
        await close();
        if (ownsDatabase) await database.close();
      },
    };
  } catch (err) {
    if (ownsDatabase) await database.close();
    throw err;
  }
}
