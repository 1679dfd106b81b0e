import { authFailureCounter, type Logger } from '@mcp-langgraph/observability';
import type { Kysely } from 'kysely';
import type { Counter, Registry } from 'prom-client';
import { type ClientAuthenticator, createClientAuthenticator } from './services/client-auth.js';
import { createFormSigner, type FormSigner } from './services/forms.js';
import type { KeyRing } from './services/keys.js';
import type { PasswordHasher } from './services/passwords.js';
import { createLoginThrottle, type LoginThrottle, type LoginThrottleOptions } from './services/throttle.js';
import { createTokenService, type TokenService } from './services/tokens.js';
import { type AuditTrail, createAuditTrail } from './store/audit.js';
import type { ClientRecord } from './store/clients.js';
import { type ClientStore, createClientStore } from './store/clients.js';
import { type CodeStore, createCodeStore } from './store/codes.js';
import { type ConsentStore, createConsentStore } from './store/consents.js';
import { createRefreshStore, type RefreshStore } from './store/refresh.js';
import { createRevocationStore, type RevocationStore } from './store/revocations.js';
import type { AuthDB } from './store/schema.js';
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
}

export type AuthFailureReason =
  | 'invalid_credentials'
  | 'locked_out'
  | 'csrf'
  | 'invalid_client'
  | 'invalid_grant'
  | 'code_reuse'
  | 'refresh_reuse'
  | 'invalid_token';

/** Everything the routes use, built once per app. */
export interface AuthContext {
  settings: AuthSettings;
  logger: Logger;
  users: UserStore;
  clients: ClientStore;
  codes: CodeStore;
  refresh: RefreshStore;
  revocations: RevocationStore;
  consents: ConsentStore;
  audit: AuditTrail;
  keys: KeyRing;
  tokens: TokenService;
  passwords: PasswordHasher;
  forms: FormSigner;
  throttle: LoginThrottle;
  clientAuth: ClientAuthenticator;
  failures: Counter<'reason'>;
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
  resolveExternalClient?: (clientId: string) => Promise<ClientRecord | undefined>;
  now?: () => number;
}

export function createAuthContext(deps: AuthContextDeps): AuthContext {
  const now = deps.now ?? (() => Date.now() / 1000);
  // Stored times are whole seconds (bigint columns).
  const seconds = () => Math.floor(now());
  const clients = createClientStore(deps.db, seconds);
  const failures = authFailureCounter(deps.registry);
  return {
    settings: deps.settings,
    logger: deps.logger,
    users: createUserStore(deps.db, seconds),
    clients,
    codes: createCodeStore(deps.db, seconds),
    refresh: createRefreshStore(deps.db, seconds),
    revocations: createRevocationStore(deps.db),
    consents: createConsentStore(deps.db, seconds),
    audit: createAuditTrail(deps.db, deps.logger, seconds),
    keys: deps.keys,
    tokens: createTokenService({
      keys: deps.keys,
      issuer: deps.settings.issuer,
      accessTokenTtl: deps.settings.accessTokenTtl,
      now,
    }),
    passwords: deps.passwords,
    forms: createFormSigner(deps.formSecret, now),
    throttle: createLoginThrottle(deps.db, { ...deps.throttle, now }),
    clientAuth: createClientAuthenticator({
      clients,
      passwords: deps.passwords,
      resolveExternal: deps.resolveExternalClient,
      now,
    }),
    failures,
    now,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
}
