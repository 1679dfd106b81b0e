import jwt from 'jsonwebtoken';
import { authorizeWithPassword, startAuthServer, type TestAuthServer } from './testing.js';

let auth: TestAuthServer;
let offset = 0;

beforeAll(async () => {
  auth = await startAuthServer({
    users: { alice: 'secret-a' },
    consent: false,
    clock: () => Date.now() / 1000 + offset,
    env: { AUTH_REFRESH_TOKEN_IDLE_TTL: '600', AUTH_REFRESH_TOKEN_ABSOLUTE_TTL: '1000', AUTH_CODE_TTL: '30' },
  });
});
afterAll(async () => {
  await auth.close();
});
beforeEach(() => {
  offset = 0;
});

const refresh = (token: string, clientId: string) =>
  fetch(`${auth.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token, client_id: clientId }),
  });

describe('lifetimes', () => {
  it('a refresh token unused for longer than the idle lifetime is refused', async () => {
    const t = await auth.userToken({ username: 'alice', password: 'secret-a' });
    const clientId = (jwt.decode(t.access_token) as jwt.JwtPayload).client_id as string;
    offset = 601;
    const res = await refresh(t.refresh_token!, clientId);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/expired/),
    });
  });

  it('rotation keeps a family alive only until its absolute lifetime', async () => {
    const t = await auth.userToken({ username: 'alice', password: 'secret-a' });
    const clientId = (jwt.decode(t.access_token) as jwt.JwtPayload).client_id as string;
    offset = 500;
    const r1 = await refresh(t.refresh_token!, clientId);
    expect(r1.status).toBe(200);
    const next = (await r1.json()) as { refresh_token: string };
    offset = 1001;
    const r2 = await refresh(next.refresh_token, clientId);
    expect(r2.status).toBe(400);
    expect(await r2.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('an authorization code older than its lifetime is refused', async () => {
    const client = await auth.registerClient();
    const { code, verifier } = await authorizeWithPassword({
      authUrl: auth.url,
      ...client,
      username: 'alice',
      password: 'secret-a',
    });
    offset = 31;
    const res = await fetch(`${auth.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: client.redirectUri,
        code_verifier: verifier,
        client_id: client.clientId,
      }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('an expired access token is inactive at introspection', async () => {
    const t = await auth.userToken({ username: 'alice', password: 'secret-a' });
    offset = 1000;
    const res = await fetch(`${auth.url}/introspect`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${auth.edgeClient.clientId}:${auth.edgeClient.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ token: t.access_token }),
    });
    expect(await res.json()).toEqual({ active: false });
  });
});
