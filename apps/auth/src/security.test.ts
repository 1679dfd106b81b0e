import { createHmac, generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import { createJwksClient, createTokenVerifier } from '@mcp-langgraph/resource-server';
import jwt from 'jsonwebtoken';
import { authorizeWithPassword, startAuthServer, type TestAuthServer } from './testing.js';

const MCP = 'http://localhost:4000/mcp';

let auth: TestAuthServer;
let edgeBasic: string;

beforeAll(async () => {
  auth = await startAuthServer({ users: { alice: 'secret-a' }, consent: false });
  edgeBasic = `Basic ${Buffer.from(`${auth.edgeClient.clientId}:${auth.edgeClient.clientSecret}`).toString('base64')}`;
});
afterAll(async () => {
  await auth.close();
});

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

function es256(header: object, payload: object, key: KeyObject): string {
  const input = `${b64(header)}.${b64(payload)}`;
  const sig = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${sig.toString('base64url')}`;
}

async function claimsFor(over: Record<string, unknown> = {}) {
  const alice = await auth.context.users.findByUsername('alice');
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: auth.issuer,
    sub: alice!.id,
    aud: MCP,
    iat: now,
    nbf: now,
    exp: now + 300,
    jti: randomUUID(),
    client_id: 'some-client',
    scope: 'mcp:tools',
    sub_type: 'user',
    username: 'alice',
    ...over,
  };
}

const current = () => auth.context.keys.current();
const goodHeader = () => ({ alg: 'ES256', typ: 'at+jwt', kid: current().kid });

async function introspect(token: string) {
  const res = await fetch(`${auth.url}/introspect`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: edgeBasic },
    body: new URLSearchParams({ token }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { active: boolean } & Record<string, unknown>;
}

function verifier() {
  return createTokenVerifier({
    issuer: auth.issuer,
    audiences: [MCP],
    jwks: createJwksClient({ jwksUrl: auth.jwksUrl }),
  });
}

describe('forged and out-of-date access tokens are refused', () => {
  const cases: [string, () => Promise<string>][] = [
    [
      'alg none',
      async () => `${b64({ alg: 'none', typ: 'at+jwt', kid: current().kid })}.${b64(await claimsFor())}.`,
    ],
    [
      'HS256 signed with the public key',
      async () => {
        const pem = current().publicKey.export({ type: 'spki', format: 'pem' }).toString();
        const input = `${b64({ alg: 'HS256', typ: 'at+jwt', kid: current().kid })}.${b64(await claimsFor())}`;
        return `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
      },
    ],
    [
      'unknown kid',
      async () => {
        const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        return es256(
          { alg: 'ES256', typ: 'at+jwt', kid: 'not-a-published-key' },
          await claimsFor(),
          privateKey,
        );
      },
    ],
    [
      'signed by another key under a published kid',
      async () => {
        const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        return es256(goodHeader(), await claimsFor(), privateKey);
      },
    ],
    [
      'expired',
      async () => {
        const now = Math.floor(Date.now() / 1000);
        return es256(
          goodHeader(),
          await claimsFor({ iat: now - 1000, nbf: now - 1000, exp: now - 60 }),
          current().privateKey,
        );
      },
    ],
    [
      'not yet valid',
      async () =>
        es256(
          goodHeader(),
          await claimsFor({ nbf: Math.floor(Date.now() / 1000) + 600 }),
          current().privateKey,
        ),
    ],
    [
      'wrong issuer',
      async () => es256(goodHeader(), await claimsFor({ iss: 'https://evil.example' }), current().privateKey),
    ],
    [
      'not an access token (typ JWT)',
      async () => es256({ ...goodHeader(), typ: 'JWT' }, await claimsFor(), current().privateKey),
    ],
    [
      'tampered payload',
      async () => {
        const good = es256(goodHeader(), await claimsFor(), current().privateKey);
        const [h, , s] = good.split('.');
        return `${h}.${b64(await claimsFor({ scope: 'admin' }))}.${s}`;
      },
    ],
  ];

  it.each(cases)('%s: introspection says inactive', async (_name, make) => {
    expect(await introspect(await make())).toEqual({ active: false });
  });

  it.each(cases)('%s: the resource-server verifier refuses it', async (_name, make) => {
    await expect(verifier().verify(await make())).rejects.toThrow();
  });

  it.each(cases)('%s: token exchange refuses it', async (_name, make) => {
    const res = await fetch(`${auth.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: edgeBasic },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        subject_token: await make(),
        subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        resource: 'http://localhost:4002',
      }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('a well-formed token passes the same checks (so the cases above fail for their flaw)', async () => {
    const token = es256(goodHeader(), await claimsFor(), current().privateKey);
    expect((await introspect(token)).active).toBe(true);
    await expect(verifier().verify(token)).resolves.toMatchObject({ subType: 'user', audience: MCP });
  });

  it('wrong audience: the resource-server verifier refuses a token for another audience', async () => {
    const token = es256(
      goodHeader(),
      await claimsFor({ aud: 'http://localhost:4002' }),
      current().privateKey,
    );
    await expect(verifier().verify(token)).rejects.toThrow(/audience/);
  });
});

async function codeFor(client: { clientId: string; redirectUri: string }) {
  return authorizeWithPassword({ authUrl: auth.url, ...client, username: 'alice', password: 'secret-a' });
}

function redeem(
  client: { clientId: string; redirectUri: string },
  code: string,
  verifierValue: string,
  over = {},
) {
  return fetch(`${auth.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: client.redirectUri,
      code_verifier: verifierValue,
      client_id: client.clientId,
      ...over,
    }),
  });
}

describe('authorization codes', () => {
  it('a reused code is refused and what it issued is revoked', async () => {
    const client = await auth.registerClient();
    const { code, verifier: v } = await codeFor(client);
    const first = await redeem(client, code, v);
    expect(first.status).toBe(200);
    const tokens = (await first.json()) as { access_token: string; refresh_token: string };
    expect((await introspect(tokens.access_token)).active).toBe(true);

    const again = await redeem(client, code, v);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await introspect(tokens.access_token)).active).toBe(false);
    const refresh = await fetch(`${auth.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
        client_id: client.clientId,
      }),
    });
    expect(await refresh.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('a PKCE verifier that does not match is refused', async () => {
    const client = await auth.registerClient();
    const { code } = await codeFor(client);
    const res = await redeem(client, code, 'x'.repeat(43));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('a redirect URI that differs from the authorization request is refused', async () => {
    const client = await auth.registerClient(['https://a.example/cb', 'https://a.example/other']);
    const { code, verifier: v } = await codeFor(client);
    const res = await redeem(client, code, v, { redirect_uri: 'https://a.example/other' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('a code is bound to its client', async () => {
    const client = await auth.registerClient();
    const thief = await auth.registerClient();
    const { code, verifier: v } = await codeFor(client);
    const res = await redeem(thief, code, v);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
    // The rightful client can still redeem it.
    expect((await redeem(client, code, v)).status).toBe(200);
  });

  it('a code is bound to its resource', async () => {
    const client = await auth.registerClient();
    const { code, verifier: v } = await codeFor(client);
    const res = await redeem(client, code, v, { resource: 'http://localhost:4002' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_target' });
  });
});

describe('refresh tokens under concurrency', () => {
  it('of several simultaneous refreshes at most one succeeds, and the family is revoked', async () => {
    const tokens = await auth.userToken({ username: 'alice', password: 'secret-a' });
    const clientId = (jwt.decode(tokens.access_token) as jwt.JwtPayload).client_id as string;
    const attempt = () =>
      fetch(`${auth.url}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: tokens.refresh_token!,
          client_id: clientId,
        }),
      });
    const results = await Promise.all(Array.from({ length: 6 }, attempt));
    const bodies = (await Promise.all(results.map((r) => r.json()))) as Record<string, string>[];
    const ok = bodies.filter((b) => b.access_token);
    expect(ok.length).toBeLessThanOrEqual(1);
    expect(bodies.filter((b) => b.error === 'invalid_grant').length).toBeGreaterThanOrEqual(5);
    for (const b of ok) {
      const next = await fetch(`${auth.url}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: b.refresh_token!,
          client_id: clientId,
        }),
      });
      expect(await next.json()).toMatchObject({ error: 'invalid_grant' });
    }
  });
});

describe('hostile strings in every field', () => {
  const hostile = [
    "' OR '1'='1",
    '"; DROP TABLE users; --',
    'x'.repeat(60_000),
    '\u0000\u202e<img src=x>',
    '%00%27',
  ];
  const endpoints: [string, string[]][] = [
    [
      '/token',
      [
        'grant_type',
        'code',
        'redirect_uri',
        'code_verifier',
        'client_id',
        'client_secret',
        'refresh_token',
        'scope',
        'resource',
        'subject_token',
        'subject_token_type',
      ],
    ],
    [
      '/authorize',
      [
        'client_id',
        'redirect_uri',
        'state',
        'scope',
        'resource',
        'code_challenge',
        'username',
        'password',
        'csrf_token',
      ],
    ],
    ['/authorize/consent', ['client_id', 'user_id', 'granted_scope', 'consent_token', 'decision']],
    ['/revoke', ['token', 'client_id', 'token_type_hint']],
    ['/introspect', ['token']],
  ];

  it.each(endpoints)(
    '%s answers every hostile field with a 4xx or a normal answer, never a 500',
    async (path, fields) => {
      const client = await auth.registerClient();
      for (const field of fields)
        for (const value of hostile) {
          const body: Record<string, string> = {
            grant_type: 'authorization_code',
            client_id: client.clientId,
            redirect_uri: client.redirectUri,
            state: 's',
            code_challenge: 'a'.repeat(43),
            code_challenge_method: 'S256',
            response_type: 'code',
            token: 'abc',
            [field]: value,
          };
          const res = await fetch(`${auth.url}${path}`, {
            method: 'POST',
            redirect: 'manual',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              ...(path === '/introspect' ? { authorization: edgeBasic } : {}),
            },
            body: new URLSearchParams(body),
          });
          expect(res.status).toBeLessThan(500);
          const text = await res.text();
          expect(text).not.toMatch(/at .*\.ts:\d+|SqliteError|syntax error/);
          if (res.headers.get('content-type')?.includes('html')) expect(text).not.toContain('<img src=x>');
        }
      // Nothing was dropped or altered: the user can still sign in.
      expect((await auth.userToken({ username: 'alice', password: 'secret-a' })).access_token).toBeTruthy();
    },
  );

  it('/register answers hostile metadata with 400 and GET /authorize with a page or redirect', async () => {
    for (const value of hostile) {
      const reg = await fetch(`${auth.url}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ redirect_uris: [value], client_name: value }),
      });
      expect([400, 413]).toContain(reg.status);
      const q = new URLSearchParams({
        client_id: value.slice(0, 5000),
        redirect_uri: value.slice(0, 5000),
        state: value.slice(0, 5000),
      });
      const page = await fetch(`${auth.url}/authorize?${q}`, { redirect: 'manual' });
      expect(page.status).toBe(400);
    }
  });

  it('a body over the size limit is refused with 413', async () => {
    const res = await fetch(`${auth.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', code: 'x'.repeat(200_000) }),
    });
    expect(res.status).toBe(413);
  });
});
