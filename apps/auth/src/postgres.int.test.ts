import { createTestSchema, describeWithPostgres, TEST_DATABASE_URL } from '@mcp-langgraph/db/testing';
import { pkcePair, readForm } from '@mcp-langgraph/testing';
import jwt from 'jsonwebtoken';
import { sql } from 'kysely';
import { authorizeWithPassword, startAuthServer, type TestAuthServer } from './testing.js';

describeWithPostgres('auth service on PostgreSQL', () => {
  let auth: TestAuthServer;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const s = await createTestSchema();
    drop = s.drop;
    auth = await startAuthServer({
      users: { alice: 'secret-a', bob: 'secret-b' },
      postgres: { url: TEST_DATABASE_URL, schema: s.schema },
    });
  });
  afterAll(async () => {
    try {
      await auth?.close();
    } finally {
      await drop();
    }
  });

  const post = (body: Record<string, string>, basic?: string) =>
    fetch(`${auth.url}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(basic ? { authorization: basic } : {}),
      },
      body: new URLSearchParams(body),
    });
  const edge = () =>
    `Basic ${Buffer.from(`${auth.edgeClient.clientId}:${auth.edgeClient.clientSecret}`).toString('base64')}`;

  it('keeps its migration history in auth_migrations', async () => {
    const r = await sql<{ n: string }>`select count(*) as n from auth_migrations`.execute(auth.db);
    expect(Number(r.rows[0]?.n)).toBeGreaterThanOrEqual(1);
  });

  it('runs the code flow, refresh rotation and token exchange', async () => {
    const tokens = await auth.userToken({ username: 'alice', password: 'secret-a' });
    const claims = jwt.decode(tokens.access_token) as jwt.JwtPayload;
    expect(claims).toMatchObject({ username: 'alice', sub_type: 'user' });
    const refreshed = await post({
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
      client_id: claims.client_id as string,
    });
    expect(refreshed.status).toBe(200);
    const exchanged = await auth.exchange(tokens.access_token, 'http://localhost:4002');
    expect(jwt.decode(exchanged.access_token)).toMatchObject({ act: { sub: 'mcp-edge' }, sub: claims.sub });
  });

  it('lets only one of many concurrent refreshes win, then revokes the family', async () => {
    const tokens = await auth.userToken({ username: 'bob', password: 'secret-b' });
    const clientId = (jwt.decode(tokens.access_token) as jwt.JwtPayload).client_id as string;
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        post({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, client_id: clientId }),
      ),
    );
    const bodies = (await Promise.all(results.map((r) => r.json()))) as Record<string, string>[];
    const winners = bodies.filter((b) => b.access_token);
    expect(winners.length).toBeLessThanOrEqual(1);
    expect(results.every((r) => r.status < 500)).toBe(true);
    for (const w of winners) {
      const again = await post({
        grant_type: 'refresh_token',
        refresh_token: w.refresh_token!,
        client_id: clientId,
      });
      expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
    }
  });

  it('stops refresh and introspection as soon as a user is disabled', async () => {
    const tokens = await auth.userToken({ username: 'alice', password: 'secret-a' });
    const clientId = (jwt.decode(tokens.access_token) as jwt.JwtPayload).client_id as string;
    await auth.context.users.setDisabled('alice', true);
    try {
      const intro = await fetch(`${auth.url}/introspect`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: edge() },
        body: new URLSearchParams({ token: tokens.access_token }),
      });
      expect(await intro.json()).toEqual({ active: false });
      const refresh = await post({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token!,
        client_id: clientId,
      });
      expect(await refresh.json()).toMatchObject({ error: 'invalid_grant' });
    } finally {
      await auth.context.users.setDisabled('alice', false);
    }
  });

  it('revokes what a replayed code issued, and remembers consent', async () => {
    const client = await auth.registerClient(['https://pg.example/cb']);
    const first = await authorizeWithPassword({
      authUrl: auth.url,
      ...client,
      username: 'bob',
      password: 'secret-b',
    });
    const redeem = () =>
      post({
        grant_type: 'authorization_code',
        code: first.code,
        redirect_uri: client.redirectUri,
        code_verifier: first.verifier,
        client_id: client.clientId,
      });
    const ok = await redeem();
    expect(ok.status).toBe(200);
    const tokens = (await ok.json()) as { access_token: string; refresh_token: string };
    const replay = await redeem();
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    const intro = await fetch(`${auth.url}/introspect`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: edge() },
      body: new URLSearchParams({ token: tokens.access_token }),
    });
    expect(await intro.json()).toEqual({ active: false });
    const consents = await sql<{ n: string }>`select count(*) as n from consents`.execute(auth.db);
    expect(Number(consents.rows[0]?.n)).toBeGreaterThanOrEqual(1);
    const audit = await auth.context.audit.recent(50);
    expect(audit.map((e) => e.event)).toEqual(
      expect.arrayContaining(['token.code_reuse', 'consent.granted']),
    );
  });

  it('revokes access tokens by jti across the store', async () => {
    const tokens = await auth.userToken({ username: 'bob', password: 'secret-b' });
    const clientId = (jwt.decode(tokens.access_token) as jwt.JwtPayload).client_id as string;
    const revoke = await fetch(`${auth.url}/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.access_token, client_id: clientId }),
    });
    expect(revoke.status).toBe(200);
    const jti = (jwt.decode(tokens.access_token) as jwt.JwtPayload).jti as string;
    expect(await auth.context.revocations.isDenied(jti)).toBe(true);
  });

  it('counts parallel password guesses atomically: no more than the limit get through', async () => {
    const client = await auth.registerClient();
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: client.clientId,
      redirect_uri: client.redirectUri,
      state: 's',
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
    });
    const fields = readForm(await (await fetch(`${auth.url}/authorize?${q}`)).text()).fields;
    const statuses = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        fetch(`${auth.url}/authorize`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ ...fields, username: 'target', password: `guess-${i}` }),
        }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
  });
});
