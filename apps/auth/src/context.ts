import { authFailureCounter, type Logger } from '@mcp-langgraph/observability';
import type { Kysely } from 'kysely';
import type { Registry } from 'prom-client';
import { createBrowserBinding } from './services/browser-binding.js';
import { type ClientAuthenticator, createClientAuthenticator } from './services/client-auth.js';
import { createFormTokens, type FormTokens } from './services/form-tokens.js';
import { createFormSigner } from './services/forms.js';
import type { KeyRing } from './services/keys.js';
import type { PasswordHasher } from './services/passwords.js';
import { createLoginThrottle, type LoginThrottle, type LoginThrottleOptions } from './services/throttle.js';
import { createTokenService, type TokenService } from './services/tokens.js';
import { type AuditTrail, createAuditTrail } from './store/audit.js';
import type { ClientRecord } from './store/clients.js';
import { type ClientStore, createClientStore } from './store/clients.js';
import { type CodeStore, createCodeStore } from './store/codes.js';
import { type ConsentStore, createConsentStore } from './store/consents.js';
import { createRateLimitStore, type RateLimitStore } from './store/rate-limits.js';
import { createRefreshStore, type RefreshStore } from './store/refresh.js';
import { createRevocationStore, type RevocationStore } from './store/revocations.js';
import type { AuthDB } from './store/schema.js';
import { createKeyStore, type KeyStore } from './store/settings.js';
import { createUsedFormTokenStore, type UsedFormTokenStore } from './store/used-form-tokens.js';
import { createUserStore, type UserStore } from './store/users.js';

/** The settings the routes need, derived once from the service configuration. */
export interface AuthSettings {
  /** Issuer identifier without a trailing slash; every endpoint URL starts with it. */
  issuer: string;
  accessTokenTtl: number;
  codeTtl: number;
  refreshIdleTtl: number;
  refreshAbsoluteTtl: number;
  /** Audiences a user may request through `resource`: the MCP endpoint and the edge itself. */
  edgeAudiences: readonly string[];
  /** Audience when an authorization request names no `resource`. */
  defaultResource: string;
  /** Whether users are asked to approve third-party clients. */
  consent: boolean;
  /** Whether an HTTPS client id names a Client ID Metadata Document. */
  clientMetadataDocuments: boolean;
  /** Leeway for expiry and not-before in this service's own token checks (`AUTH_CLOCK_TOLERANCE_SECONDS`). */
  clockToleranceSec: number;
}

/** The `reason` labels of `auth_failures_total`; the only values `fail` accepts, so no typo makes a new series. */
export type AuthFailureReason =
  | 'invalid_credentials'
  | 'locked_out'
  | 'csrf'
  | 'invalid_client'
  | 'invalid_grant'
  | 'code_reuse'
  | 'refresh_reuse'
  | 'invalid_token';

/** Every table of the service behind its store; the service and the admin CLI share these. */
export interface AuthStores {
  users: UserStore;
  clients: ClientStore;
  codes: CodeStore;
  refresh: RefreshStore;
  revocations: RevocationStore;
  consents: ConsentStore;
  signingKeys: KeyStore;
  audit: AuditTrail;
  usedFormTokens: UsedFormTokenStore;
  rateLimits: RateLimitStore;
}

/** Builds the stores over `db`; `now` is in whole seconds (the columns are bigint). */
export function createAuthStores(db: Kysely<AuthDB>, logger: Logger, now: () => number): AuthStores {
  return {
    users: createUserStore(db, now),
    clients: createClientStore(db, now),
    codes: createCodeStore(db, now),
    refresh: createRefreshStore(db, now),
    revocations: createRevocationStore(db),
    consents: createConsentStore(db, now),
    signingKeys: createKeyStore(db),
    audit: createAuditTrail(db, logger, now),
    usedFormTokens: createUsedFormTokenStore(db),
    rateLimits: createRateLimitStore(db, now),
  };
}

/** Everything the routes use, built once per app. */
export interface AuthContext extends AuthStores {
  settings: AuthSettings;
  logger: Logger;
  keys: KeyRing;
  tokens: TokenService;
  passwords: PasswordHasher;
  /** Login and consent form tokens, bound to the browser and answered once. */
  formTokens: FormTokens;
  throttle: LoginThrottle;
  clientAuth: ClientAuthenticator;
  /** Counts one refused credential in `auth_failures_total{reason}`. */
  fail(reason: AuthFailureReason): void;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export interface AuthContextDeps {
  db: Kysely<AuthDB>;
  logger: Logger;
  registry: Registry;
  settings: AuthSettings;
  keys: KeyRing;
  passwords: PasswordHasher;
  /** Secret for signing form tokens, shared by every replica. */
  formSecret: Buffer;
  throttle: Omit<LoginThrottleOptions, 'now'>;
  resolveExternalClient?: ((clientId: string) => Promise<ClientRecord | undefined>) | undefined;
  /** The secrets the configuration gives first-party clients, read per check (they may rotate). */
  configuredClientSecrets?: ((clientId: string) => readonly string[]) | undefined;
  now?: () => number;
}

/** How long a login or consent form may stay open before it must be shown again. */
const FORM_TTL_SECONDS = 600;

export function createAuthContext(deps: AuthContextDeps): AuthContext {
  const now = deps.now ?? (() => Date.now() / 1000);
  const stores = createAuthStores(deps.db, deps.logger, () => Math.floor(now()));
  const failures = authFailureCounter(deps.registry);
  return {
    ...stores,
    settings: deps.settings,
    logger: deps.logger,
    keys: deps.keys,
    tokens: createTokenService({
      keys: deps.keys,
      issuer: deps.settings.issuer,
      accessTokenTtl: deps.settings.accessTokenTtl,
      clockToleranceSec: deps.settings.clockToleranceSec,
      now,
    }),
    passwords: deps.passwords,
    formTokens: createFormTokens({
      signer: createFormSigner(deps.formSecret, now),
      browser: createBrowserBinding(deps.settings.issuer),
      used: stores.usedFormTokens,
      ttlSeconds: FORM_TTL_SECONDS,
    }),
    throttle: createLoginThrottle(deps.db, { ...deps.throttle, now }),
    clientAuth: createClientAuthenticator({
      clients: stores.clients,
      passwords: deps.passwords,
      resolveExternal: deps.resolveExternalClient,
      configuredSecrets: deps.configuredClientSecrets,
      now,
    }),
    fail: (reason) => failures.inc({ reason }),
    now,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
}
