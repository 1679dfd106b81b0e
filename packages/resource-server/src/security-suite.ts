import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { basicAuth } from '@mcp-langgraph/testing';
import jwt from 'jsonwebtoken';
import { canonicalEs256 } from './access-token.js';
import type { TestIssuer } from './testing.js';

/** A route of a resource server behind the bearer guard. */
export interface ProtectedRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path under the target's base URL. */
  path: string;
  /** JSON body, for routes that read one. */
  body?: unknown;
  /** Extra request headers (e.g. `accept` for MCP). */
  headers?: Record<string, string>;
  /** Scopes the route needs; a token lacking any one of them is refused with 403. */
  scopes: readonly string[];
}

export interface BearerRouteTestOptions {
  /** Read when each test runs (services start in `beforeAll`). */
  target: () => { baseUrl: string; issuer: TestIssuer };
  routes: readonly ProtectedRoute[];
  /** Every scope a fully privileged token of this service carries. */
  allScopes: readonly string[];
  /** Claims a token this service accepts needs besides the issuer's defaults (its audience, an actor). */
  claims?: Record<string, unknown>;
  /** When the service advertises RFC 9728 metadata: the URL every challenge must name. */
  resourceMetadataUrl?: string;
}

const now = () => Math.floor(Date.now() / 1000);

/** A token signed by a key the issuer never published, under the issuer's `kid` or a new one. */
function foreignToken(issuer: TestIssuer, claims: Record<string, unknown>, kid: string): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const t = now();
  return canonicalEs256(
    jwt.sign(
      {
        iss: issuer.issuer,
        sub: randomUUID(),
        sub_type: 'user',
        iat: t,
        nbf: t,
        exp: t + 300,
        jti: randomUUID(),
        client_id: 'test-client',
        ...claims,
      },
      privateKey,
      { algorithm: 'ES256', header: { alg: 'ES256', typ: 'at+jwt', kid } as jwt.JwtHeader },
    ),
  );
}

/**
 * The security tests every protected route gets, the same for every resource server: missing
 * token, bad signature, unknown key, wrong issuer, wrong audience, expired, not yet valid and
 * wrong scope are refused with the right status and challenge; a good token is let through.
 */
export function bearerRouteTests(options: BearerRouteTestOptions): void {
  const base = () => options.claims ?? {};
  const send = (route: ProtectedRoute, token?: string) =>
    fetch(`${options.target().baseUrl}${route.path}`, {
      method: route.method,
      headers: {
        ...(route.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...route.headers,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: route.body === undefined ? undefined : JSON.stringify(route.body),
    });
  const expectChallenge = (res: Response, error?: string) => {
    const challenge = res.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer\b/);
    if (error) expect(challenge).toContain(`error="${error}"`);
    else expect(challenge).not.toContain('error=');
    if (options.resourceMetadataUrl)
      expect(challenge).toContain(`resource_metadata="${options.resourceMetadataUrl}"`);
  };
  const refused: Array<[string, () => string]> = [
    [
      'a token with a bad signature',
      () => foreignToken(options.target().issuer, base(), options.target().issuer.kid),
    ],
    ['a token signed by an unknown key', () => foreignToken(options.target().issuer, base(), randomUUID())],
    [
      'a token from another issuer',
      () => options.target().issuer.sign({ ...base(), iss: 'https://evil.example' }),
    ],
    [
      'a token for another audience',
      () => options.target().issuer.sign({ ...base(), aud: 'https://other.example' }),
    ],
    [
      'an expired token',
      () => options.target().issuer.sign({ ...base(), iat: now() - 900, nbf: now() - 900, exp: now() - 600 }),
    ],
    [
      'a token not valid yet',
      () => options.target().issuer.sign({ ...base(), iat: now(), nbf: now() + 600 }),
    ],
    ['a token that is not a JWT', () => 'not-a-jwt'],
  ];

  describe.each(options.routes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', (_name, route) => {
    it('refuses a request without a token: 401 with a challenge and no error code', async () => {
      const res = await send(route);
      expect(res.status).toBe(401);
      expectChallenge(res);
    });

    it.each(refused)('refuses %s: 401 invalid_token', async (_case, make) => {
      const res = await send(route, make());
      expect(res.status).toBe(401);
      expectChallenge(res, 'invalid_token');
    });

    it.each(route.scopes.map((s) => [s]))(
      'refuses a token without %s: 403 insufficient_scope',
      async (scope) => {
        const res = await send(
          route,
          options.target().issuer.sign({
            ...base(),
            scope: options.allScopes.filter((s) => s !== scope).join(' '),
          }),
        );
        expect(res.status).toBe(403);
        expectChallenge(res, 'insufficient_scope');
        expect(res.headers.get('www-authenticate')).toContain(scope);
      },
    );

    it('lets a good token through the guard', async () => {
      const res = await send(
        route,
        options.target().issuer.sign({ ...base(), scope: options.allScopes.join(' ') }),
      );
      expect([401, 403]).not.toContain(res.status);
    });
  });
}

/** A route of the authorization server that answers authenticated confidential clients only. */
export interface ClientAuthRoute {
  method: 'GET' | 'POST';
  path: string;
  /** Form fields the route needs besides the credentials. */
  form?: Record<string, string>;
}

export interface ClientAuthRouteTestOptions {
  /** Read when each test runs. */
  target: () => {
    baseUrl: string;
    /** A confidential client the server knows. */
    confidential: { id: string; secret: string };
    /** A public client (no secret) the server knows. */
    publicClientId: string;
  };
  routes: readonly ClientAuthRoute[];
}

/**
 * The client-authentication variant: missing credentials, a wrong secret, an unknown client, a
 * malformed Basic header and a public client naming itself all get 401 `invalid_client`; the
 * confidential client's own credentials are let through.
 */
export function clientAuthRouteTests(options: ClientAuthRouteTestOptions): void {
  const send = (
    route: ClientAuthRoute,
    headers: Record<string, string>,
    form: Record<string, string> = {},
  ) => {
    const fields = { ...route.form, ...form };
    const hasBody = route.method === 'POST';
    // A GET route reads a public client's self-declared id from the query, as a POST reads it from the form.
    const query = !hasBody && Object.keys(fields).length > 0 ? `?${new URLSearchParams(fields)}` : '';
    return fetch(`${options.target().baseUrl}${route.path}${query}`, {
      method: route.method,
      headers: { ...(hasBody ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...headers },
      body: hasBody ? new URLSearchParams(fields) : undefined,
    });
  };
  const cases: Array<[string, () => { headers: Record<string, string>; form?: Record<string, string> }]> = [
    ['no client credentials', () => ({ headers: {} })],
    [
      'a wrong secret',
      () => ({
        headers: { authorization: basicAuth(options.target().confidential.id, 'wrong-secret-0000') },
      }),
    ],
    [
      'an unknown client',
      () => ({ headers: { authorization: basicAuth('no-such-client', 'whatever-secret') } }),
    ],
    ['a malformed Basic header', () => ({ headers: { authorization: 'Basic !!!not-base64!!!' } })],
    [
      'a public client naming itself',
      () => ({ headers: {}, form: { client_id: options.target().publicClientId } }),
    ],
  ];

  describe.each(options.routes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', (_name, route) => {
    it.each(cases)('refuses %s: 401 invalid_client', async (_case, make) => {
      const { headers, form } = make();
      const res = await send(route, headers, form);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: string }).error).toBe('invalid_client');
    });

    it("lets the confidential client's own credentials through", async () => {
      const { id, secret } = options.target().confidential;
      const res = await send(route, { authorization: basicAuth(id, secret) });
      expect(res.status).not.toBe(401);
      expect(res.status).toBeLessThan(500);
    });
  });
}
