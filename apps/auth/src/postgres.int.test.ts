import { createTestSchema, describeWithPostgres, TEST_DATABASE_URL } from '@mcp-langgraph/db/testing';
import jwt from 'jsonwebtoken';
import { sql } from 'kysely';
import { clientIdOf, oauthCalls } from './testing/setup.js';
import { startAuthServer, type TestAuthServer } from './testing.js';

describeWithPostgres('auth service on PostgreSQL', () => {
  let server: TestAuthServer;
  let drop: () => Promise<void>;
  const auth = () => server;
  const { introspect, loginForm, post, raceRefreshes, redeem, refresh, signIn, submit } = oauthCalls(auth);

  beforeAll(async () => {
    const s = await createTestSchema();
    drop = s.drop;
    server = await startAuthServer({
      users: { alice: 'secret-a', bob: 'secret-b' },
      postgres: { url: TEST_DATABASE_URL, schema: s.schema },
    });
  });
  afterAll(async () => {
    try {
      await server?.close();
    } finally {
      await drop();
    }
  });

  it('keeps its migration history in auth_migrations', async () => {
    const r = await sql<{ n: string }>`select count(*) as n from auth_migrations`.execute(auth().db);
    expect(Number(r.rows[0]?.n)).toBeGreaterThanOrEqual(1);
  });

  it('runs the code flow, refresh rotation and token exchange', async () => {
    const tokens = await auth().userToken({ username: 'alice', password: 'secret-a' });
    const claims = jwt.decode(tokens.access_token) as jwt.JwtPayload;
    expect(claims).toMatchObject({ username: 'alice', sub_type: 'user' });
    const refreshed = await refresh(tokens.refresh_token!, claims.client_id as string);
    expect(refreshed.status).toBe(200);
    const exchanged = await auth().exchange(tokens.access_token, 'http://localhost:4002');
    expect(jwt.decode(exchanged.access_token)).toMatchObject({ act: { sub: 'mcp-edge' }, sub: claims.sub });
  });

  it('lets only one of many concurrent refreshes win, then revokes the family', async () => {
    const tokens = await auth().userToken({ username: 'bob', password: 'secret-b' });
    const clientId = clientIdOf(tokens.access_token);
    const { results, winners } = await raceRefreshes(tokens.refresh_token!, clientId, 8);
    expect(winners.length).toBeLessThanOrEqual(1);
    expect(results.every((r) => r.status < 500)).toBe(true);
    for (const w of winners)
      expect((await refresh(w.refresh_token!, clientId)).body).toMatchObject({ error: 'invalid_grant' });
  });

  it('stops refresh and introspection as soon as a user is disabled', async () => {
    const tokens = await auth().userToken({ username: 'alice', password: 'secret-a' });
    const clientId = clientIdOf(tokens.access_token);
    await auth().context.users.setDisabled('alice', true);
    try {
      expect(await introspect(tokens.access_token)).toEqual({ active: false });
      expect((await refresh(tokens.refresh_token!, clientId)).body).toMatchObject({ error: 'invalid_grant' });
    } finally {
      await auth().context.users.setDisabled('alice', false);
    }
  });

  it('revokes what a replayed code issued, and remembers consent', async () => {
    const client = await auth().registerClient(['https://pg.example/cb']);
    const first = await signIn(client, 'bob', 'secret-b');
    const ok = await redeem(client, first.code, first.verifier);
    expect(ok.status).toBe(200);
    const tokens = ok.body as { access_token: string; refresh_token: string };
    const replay = await redeem(client, first.code, first.verifier);
    expect(replay.body).toMatchObject({ error: 'invalid_grant' });
    expect(await introspect(tokens.access_token)).toEqual({ active: false });
    const consents = await sql<{ n: string }>`select count(*) as n from consents`.execute(auth().db);
    expect(Number(consents.rows[0]?.n)).toBeGreaterThanOrEqual(1);
    const audit = await auth().context.audit.recent(50);
    expect(audit.map((e) => e.event)).toEqual(
      expect.arrayContaining(['token.code_reuse', 'consent.granted']),
    );
  });

  it('revokes access tokens by jti across the store', async () => {
    const tokens = await auth().userToken({ username: 'bob', password: 'secret-b' });
    const revoke = await post('/revoke', {
      token: tokens.access_token,
      client_id: clientIdOf(tokens.access_token),
    });
    expect(revoke.status).toBe(200);
    const jti = (jwt.decode(tokens.access_token) as jwt.JwtPayload).jti as string;
    expect(await auth().context.revocations.isDenied(jti)).toBe(true);
  });

  it('counts rate-limit windows and answers a form token once, also under concurrency', async () => {
    const { rateLimits, usedFormTokens } = auth().context;
    const counts = await Promise.all(Array.from({ length: 5 }, () => rateLimits.hit('register:pg', 3600)));
    expect(counts.map((c) => c.count).sort()).toEqual([1, 2, 3, 4, 5]);
    const uses = await Promise.all(Array.from({ length: 5 }, () => usedFormTokens.consume('login:pg', 2e9)));
    expect(uses.filter(Boolean)).toHaveLength(1);
  });

  it('counts parallel password guesses atomically: no more than the limit get through', async () => {
    // One address may fail three times AUTH_LOGIN_MAX_FAILURES (5) before it is locked out; each
    // guess comes through its own login form, as each form is answered once.
    const client = await auth().registerClient();
    const forms = [];
    for (let i = 0; i < 20; i++) forms.push((await loginForm(client, { state: `s${i}` })).fields);
    const statuses = await Promise.all(
      forms.map((fields, i) =>
        submit('/authorize', { ...fields, username: 'target', password: `guess-${i}` }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(15);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
  });
});
