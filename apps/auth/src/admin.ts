import { randomBytes } from 'node:crypto';
import {
  DEFAULT_SCOPES,
  formatScope,
  GRANT_TYPE,
  normalizeUrl,
  parseScope,
  scopeNames,
  TIERS,
  type Tier,
} from '@mcp-langgraph/protocol';
import type { AuthStores } from './context.js';
import { rotateConfiguredKeys, rotateStoredKeys } from './services/keys.js';
import type { PasswordHasher } from './services/passwords.js';
import { isAcceptableRedirectUri } from './services/redirect-uris.js';
import type { ClientRecord } from './store/clients.js';
import type { UserRecord } from './store/users.js';

export class AdminError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdminError';
  }
}

const ACTOR = 'admin-cli';
const USERNAME = /^[A-Za-z0-9._@-]{1,100}$/;

function scopesOf(value: string | undefined, fallback: readonly string[]): string[] {
  if (value === undefined) return [...fallback];
  const parsed = parseScope(value.replace(/,/g, ' '));
  if (parsed.unknown.length > 0) throw new AdminError(`unknown scope: ${parsed.unknown.join(', ')}`);
  return scopeNames(formatScope(parsed.scopes));
}

/** An audience as stored: under the platform's one URL rule, so it matches however it is written later. */
function audienceOf(value: string): string {
  try {
    if (/^https?:\/\//.test(value)) return normalizeUrl(value);
  } catch {
    // Not a URL at all; refused below like any other.
  }
  throw new AdminError(`audience ${value} must be an http(s) URL`);
}

function tierOf(value: string | undefined): Tier {
  if (value === undefined) return 'free';
  if (!(TIERS as readonly string[]).includes(value))
    throw new AdminError(`tier must be one of ${TIERS.join(', ')}`);
  return value as Tier;
}

export const newSecret = () => randomBytes(32).toString('base64url');

export type Admin = ReturnType<typeof createAdmin>;

/** The operations behind `npm run auth -- ...`; every change is audited (never with a secret). */
export function createAdmin(deps: {
  /** The service's stores (`createAuthStores`, or a running service's context). */
  stores: Pick<AuthStores, 'users' | 'clients' | 'refresh' | 'signingKeys' | 'audit'>;
  passwords: PasswordHasher;
  accessTokenTtl: number;
  configuredKeys?: string | undefined;
  now?: () => number;
}) {
  const now = () => Math.floor((deps.now ?? (() => Date.now() / 1000))());
  const { users, clients, refresh, audit } = deps.stores;

  return {
    async addUser(input: {
      username: string;
      password: string;
      tier?: string;
      scope?: string;
    }): Promise<UserRecord> {
      if (!USERNAME.test(input.username))
        throw new AdminError('usernames are 1-100 letters, digits, dots, dashes, underscores or @');
      if (input.password.length < 8 || input.password.length > 1024)
        throw new AdminError('passwords must be 8 to 1024 characters');
      if (await users.findByUsername(input.username))
        throw new AdminError(`user ${input.username} already exists`);
      const { user } = await users.upsert({
        username: input.username,
        passwordHash: await deps.passwords.hash(input.password),
        scopes: scopesOf(input.scope, DEFAULT_SCOPES),
        tier: tierOf(input.tier),
      });
      await audit.record({
        event: 'admin.user_added',
        outcome: 'success',
        actor: ACTOR,
        subject: user.id,
        detail: { username: user.username, tier: user.tier },
      });
      return user;
    },

    /** Disabling takes effect at once: refresh tokens are revoked and introspection reports inactive. */
    async setUserDisabled(username: string, disabled: boolean): Promise<UserRecord> {
      const user = await users.setDisabled(username, disabled);
      if (!user) throw new AdminError(`no user named ${username}`);
      if (disabled) await refresh.revokeForUser(user.id);
      await audit.record({
        event: disabled ? 'admin.user_disabled' : 'admin.user_enabled',
        outcome: 'success',
        actor: ACTOR,
        subject: user.id,
        detail: { username },
      });
      return user;
    },

    listUsers: () => users.list(),

    /**
     * Adds a client. Confidential clients get a generated secret (returned once, stored as a hash)
     * and may use client credentials; `--exchange` lets them exchange tokens for `audiences`.
     */
    async addClient(input: {
      clientId?: string;
      name: string;
      confidential: boolean;
      redirectUris?: string[];
      scope?: string;
      audiences?: string[];
      exchange?: boolean;
      tier?: string;
      firstParty?: boolean;
    }): Promise<{ client: ClientRecord; secret?: string }> {
      const clientId = input.clientId ?? randomBytes(12).toString('base64url');
      if (!/^[A-Za-z0-9._:-]{1,200}$/.test(clientId))
        throw new AdminError('client ids are 1-200 URL-safe characters');
      if (await clients.get(clientId)) throw new AdminError(`client ${clientId} already exists`);
      const redirectUris = input.redirectUris ?? [];
      const bad = redirectUris.find((u) => !isAcceptableRedirectUri(u));
      if (bad) throw new AdminError(`redirect URI ${bad} must use https, or http on a loopback address`);
      if (!input.confidential && redirectUris.length === 0)
        throw new AdminError('a public client needs at least one redirect URI');
      const audiences = (input.audiences ?? []).map(audienceOf);
      const grantTypes: string[] = [
        ...(redirectUris.length > 0 ? [GRANT_TYPE.authorizationCode, GRANT_TYPE.refreshToken] : []),
        ...(input.confidential ? [GRANT_TYPE.clientCredentials] : []),
        ...(input.confidential && input.exchange ? [GRANT_TYPE.tokenExchange] : []),
      ];
      const secret = input.confidential ? newSecret() : undefined;
      const client = await clients.create({
        clientId,
        secretHash: secret ? await deps.passwords.hash(secret) : null,
        name: input.name,
        redirectUris,
        grantTypes,
        authMethod: input.confidential ? 'client_secret_basic' : 'none',
        scopes: scopesOf(input.scope, DEFAULT_SCOPES),
        allowedAudiences: audiences,
        tier: tierOf(input.tier),
        firstParty: input.firstParty ?? false,
      });
      await audit.record({
        event: 'admin.client_added',
        outcome: 'success',
        actor: ACTOR,
        clientId,
        detail: { confidential: input.confidential, grants: grantTypes.join(' ') },
      });
      return secret ? { client, secret } : { client };
    },

    listClients: () => clients.list(),

    async rotateClientSecret(clientId: string): Promise<string> {
      const client = await clients.get(clientId);
      if (!client) throw new AdminError(`no client ${clientId}`);
      if (client.authMethod === 'none')
        throw new AdminError(`${clientId} is a public client; it has no secret`);
      const secret = newSecret();
      await clients.setSecretHash(clientId, await deps.passwords.hash(secret));
      await audit.record({
        event: 'admin.client_secret_rotated',
        outcome: 'success',
        actor: ACTOR,
        clientId,
      });
      return secret;
    },

    /**
     * With keys in the store: adds a new signing key (used by every replica within a minute) and
     * drops keys no live token can need. With keys from the secret provider: returns the new
     * `AUTH_SIGNING_KEYS` value to store there; nothing is written here.
     */
    async rotateKeys(): Promise<{ kid: string; removed: string[] } | { configuredValue: string }> {
      if (deps.configuredKeys) {
        const value = rotateConfiguredKeys(deps.configuredKeys, now());
        await audit.record({
          event: 'key.rotated',
          outcome: 'success',
          actor: ACTOR,
          detail: { source: 'secret provider' },
        });
        return { configuredValue: value };
      }
      const r = await rotateStoredKeys(deps.stores.signingKeys, now(), deps.accessTokenTtl);
      await audit.record({
        event: 'key.rotated',
        outcome: 'success',
        actor: ACTOR,
        detail: { kid: r.kid, removed: r.removed.join(' ') },
      });
      return r;
    },
  };
}
