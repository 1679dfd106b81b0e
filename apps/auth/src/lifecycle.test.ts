import { pkcePair, readForm } from '@mcp-langgraph/testing';
import jwt from 'jsonwebtoken';
import { startAuthServer, type TestAuthServer } from './testing.js';

let auth: TestAuthServer;
let edge: string;

beforeAll(async () => {
  auth = await startAuthServer({
    users: { alice: 'secret-a', bob: 'secret-b' },
    consent: false,
    env: { AUTH_LOGIN_MAX_FAILURES: '3', AUTH_LOGIN_LOCKOUT_SECONDS: '600' },
  });
  edge = `Basic ${Buffer.from(`${auth.edgeClient.clientId}:${auth.edgeClient.clientSecret}`).toString('base64')}`;
});
afterAll(async () => {
  await auth.close();
});

const post = (path: string, body: Record<string, string>, authorization?: string) =>
  fetch(`${auth.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(authorization ? { authorization } : {}),
    },
    body: new URLSearchParams(body),
  });

async function introspect(token: string) {
  return (await (await post('/introspect', { token }, edge)).json()) as Record<string, unknown>;
}

describe('revocation (RFC 7009)', () => {
  it('revoking a refresh token ends its family and the access token issued with it', async () => {
    const tokens = await auth.userToken({ username: 'alice', password: 'secret-a' });
    const clientId = (jwt.decode(tokens.access_token) as jwt.JwtPayload).client_id as string;
    expect((await introspect(tokens.refresh_token!)).active).toBe(false); // not the edge's token
    const res = await post('/revoke', { token: tokens.refresh_token!, client_id: clientId });
    expect(res.status).toBe(200);
    expect((await introspect(tokens.access_token)).active).toBe(false);
    const refresh = await post('/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
      client_id: clientId,
    });
    expect(await refresh.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('revoking an access token deny-lists its jti; another client cannot revoke it', async () => {
    const tokens = await auth.userToken({ username: 'bob', password: 'secret-b' });
    const clientId = (jwt.decode(tokens.access_token) as jwt.JwtPayload).client_id as string;
    const stranger = await auth.registerClient();
    expect((await post('/revoke', { token: tokens.access_token, client_id: stranger.clientId })).status).toBe(
      200,
    );
    expect((await introspect(tokens.access_token)).active).toBe(true);
    expect((await post('/revoke', { token: tokens.access_token, client_id: clientId })).status).toBe(200);
    expect((await introspect(tokens.access_token)).active).toBe(false);
    const exchange = await auth.exchange(tokens.access_token, 'http://localhost:4002').catch((e: Error) => e);
    expect(exchange).toBeInstanceOf(Error);
  });

  it('answers 200 for unknown tokens and 401 for unknown clients', async () => {
    const client = await auth.registerClient();
    expect((await post('/revoke', { token: 'whatever', client_id: client.clientId })).status).toBe(200);
    const anon = await post('/revoke', { token: 'whatever' });
    expect(anon.status).toBe(401);
    expect(await anon.json()).toMatchObject({ error: 'invalid_client' });
    const missing = await post('/revoke', { client_id: client.clientId });
    expect(await missing.json()).toMatchObject({ error: 'invalid_request' });
  });
});

describe('introspection (RFC 7662)', () => {
  it('is for authenticated confidential clients only', async () => {
    const tokens = await auth.userToken({ username: 'alice', password: 'secret-a' });
    const client = await auth.registerClient();
    const asPublic = await post('/introspect', { token: tokens.access_token, client_id: client.clientId });
    expect(asPublic.status).toBe(401);
    expect(await asPublic.json()).toMatchObject({ error: 'invalid_client' });
    const anon = await post('/introspect', { token: tokens.access_token });
    expect(anon.status).toBe(401);
  });

  it('describes an active access token', async () => {
    const tokens = await auth.userToken({ username: 'alice', password: 'secret-a' });
    const res = await post('/introspect', { token: tokens.access_token }, edge);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toMatchObject({
      active: true,
      token_type: 'Bearer',
      username: 'alice',
      sub_type: 'user',
      scope: tokens.scope,
      iss: auth.issuer,
    });
  });
});

describe('login throttling', () => {
  async function loginForm() {
    const { challenge } = pkcePair();
    const client = await auth.registerClient();
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: client.clientId,
      redirect_uri: client.redirectUri,
      state: 's',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    return readForm(await (await fetch(`${auth.url}/authorize?${q}`)).text()).fields;
  }

  it('locks an account after repeated failures, even for the right password, and counts failures', async () => {
    await auth.context.users.upsert({
      username: 'victim',
      passwordHash: await auth.context.passwords.hash('right-password'),
      scopes: ['mcp:tools'],
      tier: 'free',
    });
    const fields = await loginForm();
    for (let i = 0; i < 3; i++) {
      const res = await post('/authorize', { ...fields, username: 'victim', password: `guess-${i}` });
      expect(res.status).toBe(401);
    }
    const locked = await post('/authorize', { ...fields, username: 'victim', password: 'right-password' });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Unknown accounts lock the same way, so lockout reveals nothing about existence.
    for (let i = 0; i < 3; i++) await post('/authorize', { ...fields, username: 'ghost', password: 'x' });
    expect((await post('/authorize', { ...fields, username: 'ghost', password: 'x' })).status).toBe(429);

    const metrics = await (await fetch(`${auth.url}/metrics`)).text();
    expect(metrics).toMatch(/auth_failures_total\{reason="invalid_credentials"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/auth_failures_total\{reason="locked_out"[^}]*\} [1-9]/);
  });

  it('audits failures without the attempted password', async () => {
    const entries = await auth.context.audit.recent(500);
    const failures = entries.filter((e) => e.event === 'login' && e.outcome === 'failure');
    expect(failures.length).toBeGreaterThan(0);
    const dump = JSON.stringify(entries);
    expect(dump).not.toContain('guess-0');
    expect(dump).not.toContain('right-password');
  });
});
