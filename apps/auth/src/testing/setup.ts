import { createPublicKey, randomUUID } from 'node:crypto';
import { DEFAULT_SCOPES, GRANT_TYPE, TOKEN_TYPE } from '@mcp-langgraph/protocol';
import { type ClientAuthRoute, clientAuthRouteTests } from '@mcp-langgraph/resource-server/testing';
import { type FormReply, pkcePair, postForm, readForm } from '@mcp-langgraph/testing';
import jwt from 'jsonwebtoken';
import {
  authorizeWithPassword,
  type StartAuthServerOptions,
  startAuthServer,
  type TestAuthServer,
} from '../testing.js';

/** A registered public client, as `TestAuthServer.registerClient` returns it. */
export interface TestClient {
  clientId: string;
  redirectUri: string;
}

type Basic = { id: string; secret: string };

/** The `client_id` an access token was issued to. */
export const clientIdOf = (accessToken: string): string =>
  (jwt.decode(accessToken) as jwt.JwtPayload).client_id as string;

/** A token-exchange request for `subjectToken` (the client and the target are the caller's). */
export const exchangeFields = (subjectToken: string, over: Record<string, string> = {}) => ({
  grant_type: GRANT_TYPE.tokenExchange,
  subject_token: subjectToken,
  subject_token_type: TOKEN_TYPE.accessToken,
  ...over,
});

/** A clock for the server that a test moves forward: `set(601)` is ten minutes and a second from now. */
export function testClock() {
  let offset = 0;
  return {
    now: () => Date.now() / 1000 + offset,
    set(seconds: number) {
      offset = seconds;
    },
  };
}

/**
 * The shared client-authentication suite for routes that answer confidential clients only, with
 * the edge as the confidential client and a client registered at start as the public one.
 */
export function confidentialClientTests(auth: () => TestAuthServer, routes: ClientAuthRoute[]): void {
  let publicClientId = '';
  beforeAll(async () => {
    publicClientId = (await auth().registerClient()).clientId;
  });
  clientAuthRouteTests({
    target: () => ({
      baseUrl: auth().url,
      confidential: { id: auth().edgeClient.clientId, secret: auth().edgeClient.clientSecret },
      publicClientId,
    }),
    routes,
  });
}

/**
 * One authorization server for the enclosing `describe` (or file): started in `beforeAll`, closed
 * in `afterAll`. Returns it as `auth()` and the HTTP helpers bound to it.
 */
export function useAuthServer(options: StartAuthServerOptions = {}) {
  let running: TestAuthServer | undefined;
  beforeAll(async () => {
    running = await startAuthServer(options);
  });
  afterAll(async () => {
    await running?.close();
  });
  const auth = (): TestAuthServer => {
    if (!running) throw new Error('the server has not started (useAuthServer starts it in beforeAll)');
    return running;
  };
  return { auth, ...oauthCalls(auth) };
}

/** What a client does at the server, over HTTP; JSON answers come back parsed and never throw on status. */
export function oauthCalls(auth: () => TestAuthServer) {
  const edge = (): Basic => ({ id: auth().edgeClient.clientId, secret: auth().edgeClient.clientSecret });
  const post = (path: string, fields: Record<string, string>, basic?: Basic): Promise<FormReply> =>
    postForm(`${auth().url}${path}`, fields, basic ? { basic } : {});
  const token = (fields: Record<string, string>, basic?: Basic) => post('/token', fields, basic);

  /** The query of an authorization request by `client` (PKCE S256, state `xyz`); `undefined` drops a field. */
  const authorizeQuery = (client: TestClient, over: Record<string, string | undefined> = {}) => {
    const fields: Record<string, string | undefined> = {
      response_type: 'code',
      client_id: client.clientId,
      redirect_uri: client.redirectUri,
      state: 'xyz',
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
      ...over,
    };
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) q.set(k, v);
    return q;
  };

  // One browser's cookies: the login page sets the CSRF binding cookie, and forms are posted with it.
  const jar = new Map<string, string>();
  const remember = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const i = pair.indexOf('=');
      if (i > 0) jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return res;
  };
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

  const refresh = (refreshToken: string, clientId: string, over: Record<string, string> = {}) =>
    token({ grant_type: GRANT_TYPE.refreshToken, refresh_token: refreshToken, client_id: clientId, ...over });

  return {
    edge,
    post,
    token,
    refresh,
    /**
     * A public client written straight to the store, for tests that need many (registration over
     * HTTP is limited per address); `firstParty` skips the consent page.
     */
    async addClient(redirectUri: string, options: { firstParty?: boolean } = {}): Promise<TestClient> {
      const client = await auth().context.clients.create({
        clientId: randomUUID(),
        secretHash: null,
        name: 'test client',
        redirectUris: [redirectUri],
        grantTypes: [GRANT_TYPE.authorizationCode, GRANT_TYPE.refreshToken],
        authMethod: 'none',
        scopes: [...DEFAULT_SCOPES],
        allowedAudiences: [],
        tier: 'free',
        firstParty: options.firstParty ?? false,
      });
      return { clientId: client.clientId, redirectUri };
    },
    /** Presents one refresh token `times` times at once; who won, and what every attempt got. */
    async raceRefreshes(refreshToken: string, clientId: string, times: number) {
      const results = await Promise.all(Array.from({ length: times }, () => refresh(refreshToken, clientId)));
      const bodies = results.map((r) => r.body as Record<string, string>);
      return { results, bodies, winners: bodies.filter((b) => b.access_token) };
    },
    authorizeQuery,
    /**
     * Posts a form as a browser does (no redirects followed), with the cookies the pages set;
     * `headers.cookie` replaces them (`''` sends none).
     */
    submit: async (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) => {
      const cookie = headers.cookie ?? cookieHeader();
      const { cookie: _, ...rest } = headers;
      return remember(
        await fetch(`${auth().url}${path}`, {
          method: 'POST',
          redirect: 'manual',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            ...(cookie ? { cookie } : {}),
            ...rest,
          },
          body: new URLSearchParams(fields),
        }),
      );
    },
    /** The cookies this browser holds, as a `Cookie` header. */
    cookies: cookieHeader,
    /** Keeps the cookies a response sets (for pages fetched without these helpers). */
    remember,
    /** The login form `GET /authorize` shows `client` (its cookies kept for `submit`). */
    loginForm: async (client: TestClient, over: Record<string, string | undefined> = {}) =>
      readForm(
        await remember(
          await fetch(`${auth().url}/authorize?${authorizeQuery(client, over)}`, {
            headers: jar.size ? { cookie: cookieHeader() } : {},
          }),
        ).text(),
      ),
    /** The whole browser sign-in for `client`; its code and PKCE verifier. */
    signIn: (client: TestClient, username: string, password: string) =>
      authorizeWithPassword({ authUrl: auth().url, ...client, username, password }),
    redeem: (client: TestClient, code: string, verifier: string, over: Record<string, string> = {}) =>
      token({
        grant_type: GRANT_TYPE.authorizationCode,
        code,
        redirect_uri: client.redirectUri,
        code_verifier: verifier,
        client_id: client.clientId,
        ...over,
      }),
    /** What introspection tells the edge about `value`. */
    introspect: async (value: string) => (await post('/introspect', { token: value }, edge())).body,
    /** Verifies an access token against the published JWKS, as a resource server would. */
    async verifyWithJwks(accessToken: string, audience: string) {
      const header = jwt.decode(accessToken, { complete: true })!.header;
      const { keys } = (await (await fetch(auth().jwksUrl)).json()) as { keys: { kid: string }[] };
      const jwk = keys.find((k) => k.kid === header.kid);
      expect(jwk).toBeDefined();
      const key = createPublicKey({ key: jwk as never, format: 'jwk' });
      const claims = jwt.verify(accessToken, key, { algorithms: ['ES256'], issuer: auth().issuer, audience });
      return { header, claims: claims as jwt.JwtPayload };
    },
  };
}
