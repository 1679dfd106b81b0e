import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authConfigSchema, createLiveConfig, parseConfig, SECRET_NAMES } from '@mcp-langgraph/config';
import { createMetrics, type Logger } from '@mcp-langgraph/observability';
import { GRANT_TYPE, TOKEN_TYPE } from '@mcp-langgraph/protocol';
import { pkcePair, postForm, readForm } from '@mcp-langgraph/testing';
import type { Kysely } from 'kysely';
import type { AuthContext } from './context.js';
import { type AuthService, createAuthService } from './service.js';
import type { DocumentFetcher } from './services/client-metadata.js';
import { createPasswordHasher } from './services/passwords.js';
import type { AuthDB } from './store/schema.js';

export interface StartAuthServerOptions {
  /** Users to create, as `{alice: 'secret-a'}` or `"alice:secret-a,bob:secret-b"`. */
  users?: Record<string, string> | string;
  /** Extra configuration variables (as in the environment), e.g. `EDGE_PUBLIC_URL`, `AGENT_PUBLIC_URL`. */
  env?: Record<string, string | undefined>;
  /** Issuer to announce instead of the bound URL (for servers behind a proxy). */
  issuer?: string;
  /** Ask users for consent (default true, as in production). */
  consent?: boolean;
  /** The server's clock in seconds since the epoch (tests of expiry move it forward). */
  clock?: () => number;
  /** Serves Client ID Metadata Documents instead of fetching them over HTTPS. */
  fetchClientMetadata?: DocumentFetcher;
  /** PostgreSQL instead of in-memory SQLite; `schema` isolates the test's tables. */
  postgres?: { url: string; schema?: string };
  /** Where the service logs (silent by default). */
  logger?: Logger;
}

/** A running authorization server for integration tests. */
export interface TestAuthServer {
  /** Base URL, e.g. `http://127.0.0.1:54321` (also the issuer unless overridden). */
  url: string;
  issuer: string;
  port: number;
  jwksUrl: string;
  /** The confidential edge client registered at start. */
  edgeClient: { clientId: string; clientSecret: string };
  context: AuthContext;
  /** The store, for assertions on what was written. */
  db: Kysely<AuthDB>;
  /** Registers a public client for the given redirect URIs. */
  registerClient(redirectUris?: string[]): Promise<{ clientId: string; redirectUri: string }>;
  /**
   * Drives the whole browser flow over HTTP (authorize, login form, consent form, token) and
   * returns the token response of a user.
   */
  userToken(input: {
    username: string;
    password: string;
    scope?: string;
    resource?: string;
  }): Promise<TokenSet>;
  /** Exchanges a user's token for one addressed to `resource`, as the edge does. */
  exchange(subjectToken: string, resource: string): Promise<TokenSet>;
  /**
   * Rotates secrets as the secret manager's refresh would (`{ GATEWAY_SECRET: '…' }`) and resolves
   * once the running service has applied them.
   */
  rotate(secrets: Record<string, string | undefined>): Promise<void>;
  close(): Promise<void>;
}

export interface TokenSet {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
  refresh_token?: string;
  issued_token_type?: string;
}

export interface AuthorizeInput {
  /** The authorization server's base URL. */
  authUrl: string;
  clientId: string;
  redirectUri: string;
  username: string;
  password: string;
  scope?: string;
  resource?: string;
}

/**
 * What a browser and a user do: open `/authorize`, post the login form (`username`, `password`
 * plus the hidden fields) with the cookie the page set, then, when asked, post the consent form
 * with `decision=allow`.
 * Returns the authorization code and the PKCE verifier to redeem it with.
 */
export async function authorizeWithPassword(
  input: AuthorizeInput,
): Promise<{ code: string; verifier: string; state: string; iss: string | null }> {
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(8).toString('hex');
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: input.clientId,
    redirect_uri: input.redirectUri,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...(input.scope ? { scope: input.scope } : {}),
    ...(input.resource ? { resource: input.resource } : {}),
  });
  const page = await fetch(`${input.authUrl}/authorize?${q}`, { redirect: 'manual' });
  if (page.status !== 200) throw new Error(`authorize answered ${page.status}: ${await page.text()}`);
  // The login page sets the cookie its forms are bound to; a browser sends it back with each post.
  const cookie = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  // A browser posts the form to its action, relative to the page, and stops at the redirect.
  const submit = (html: string, extra: Record<string, string>) => {
    const form = readForm(html);
    return fetch(new URL(form.action, input.authUrl), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
      body: new URLSearchParams({ ...form.fields, ...extra }),
    });
  };
  let res = await submit(await page.text(), { username: input.username, password: input.password });
  if (res.status === 200) res = await submit(await res.text(), { decision: 'allow' });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`sign-in answered ${res.status}`);
  const back = new URL(location);
  const code = back.searchParams.get('code');
  if (!code) throw new Error(`authorization failed: ${back.searchParams.get('error')}`);
  if (back.searchParams.get('state') !== state) throw new Error('state was not echoed');
  return { code, verifier, state, iss: back.searchParams.get('iss') };
}

/** The token endpoint's answer to a request that must succeed. */
async function tokens(url: string, fields: Record<string, string>, basic?: { id: string; secret: string }) {
  const res = await postForm(`${url}/token`, fields, basic ? { basic } : {});
  if (res.status !== 200)
    throw new Error(`token endpoint answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as TokenSet;
}

/**
 * Starts the authorization server on 127.0.0.1 (a free port) over an in-memory SQLite store.
 * The issuer is the bound URL, so tokens verify against `jwksUrl` as in production.
 */
export async function startAuthServer(options: StartAuthServerOptions = {}): Promise<TestAuthServer> {
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const users =
    typeof options.users === 'string'
      ? options.users
      : Object.entries(options.users ?? {})
          .map(([u, p]) => `${u}:${p}`)
          .join(',');
  let env: Record<string, string | undefined> = {
    APP_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: options.postgres?.url,
    AUTH_SEED_USERS: users || undefined,
    AUTH_CONSENT: options.consent === false ? 'false' : 'true',
    AUTH_LOGIN_DELAY_MS: '0',
    ...options.env,
  };
  const config = parseConfig(authConfigSchema, env);
  const live = createLiveConfig(config);
  let service: AuthService;
  try {
    service = await createAuthService(config, {
      live,
      ...(options.logger ? { logger: options.logger } : {}),
      metrics: createMetrics('auth', { defaultMetrics: false }),
      issuer: options.issuer ?? url,
      store: options.postgres ? { schema: options.postgres.schema } : { sqlitePath: ':memory:' },
      // Light argon2 settings keep test suites quick; the algorithm is the same.
      passwords: createPasswordHasher({ memoryCost: 4096, timeCost: 1 }),
      now: options.clock,
      fetchClientMetadata: options.fetchClientMetadata,
    });
  } catch (err) {
    server.close();
    throw err;
  }
  server.on('request', service.app);
  const edgeClient = { clientId: config.EDGE_CLIENT_ID, clientSecret: config.EDGE_CLIENT_SECRET };

  const self: TestAuthServer = {
    url,
    issuer: service.context.settings.issuer,
    port,
    jwksUrl: `${url}/.well-known/jwks.json`,
    edgeClient,
    context: service.context,
    db: service.database.db,
    async registerClient(redirectUris = ['http://127.0.0.1:9/callback']) {
      const res = await fetch(`${url}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ redirect_uris: redirectUris, client_name: 'test client' }),
      });
      if (res.status !== 201) throw new Error(`registration answered ${res.status}`);
      const body = (await res.json()) as { client_id: string };
      return { clientId: body.client_id, redirectUri: redirectUris[0]! };
    },
    async userToken(input) {
      const client = await self.registerClient();
      const { code, verifier } = await authorizeWithPassword({ authUrl: url, ...client, ...input });
      return tokens(url, {
        grant_type: GRANT_TYPE.authorizationCode,
        code,
        redirect_uri: client.redirectUri,
        code_verifier: verifier,
        client_id: client.clientId,
      });
    },
    async exchange(subjectToken, resource) {
      return tokens(
        url,
        {
          grant_type: GRANT_TYPE.tokenExchange,
          subject_token: subjectToken,
          subject_token_type: TOKEN_TYPE.accessToken,
          resource,
        },
        { id: edgeClient.clientId, secret: edgeClient.clientSecret },
      );
    },
    async rotate(secrets) {
      const names = Object.keys(secrets).filter(
        (n) => (SECRET_NAMES as readonly string[]).includes(n) && secrets[n] !== env[n],
      );
      env = { ...env, ...secrets };
      live.publish(names, parseConfig(authConfigSchema, env));
      await service.rotationsSettled();
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await service.close();
    },
  };
  return self;
}
