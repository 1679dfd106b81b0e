import { clientIdOf, testClock, useAuthServer } from '../testing/setup.js';

describe('refresh tokens', () => {
  const { auth, refresh } = useAuthServer({ users: { alice: 'secret-a', bob: 'secret-b' } });

  it('rotates on every use and revokes the family when a used token comes back', async () => {
    const first = await auth().userToken({ username: 'alice', password: 'secret-a' });
    const clientId = clientIdOf(first.access_token);
    const r1 = await refresh(first.refresh_token!, clientId);
    expect(r1.status).toBe(200);
    const second = r1.body as { access_token: string; refresh_token: string; scope: string };
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.scope).toBe(first.scope);

    const replay = await refresh(first.refresh_token!, clientId);
    expect(replay.status).toBe(400);
    expect(replay.body).toMatchObject({ error: 'invalid_grant' });
    // The replay revoked the family: the newest token is dead too.
    const after = await refresh(second.refresh_token, clientId);
    expect(after.status).toBe(400);
    expect(after.body).toMatchObject({ error: 'invalid_grant' });
  });

  it('narrows scope on request but never widens it', async () => {
    const first = await auth().userToken({
      username: 'bob',
      password: 'secret-b',
      scope: 'mcp:tools conversations:read',
    });
    const clientId = clientIdOf(first.access_token);
    const wider = await refresh(first.refresh_token!, clientId, { scope: 'conversations:write' });
    expect(wider.status).toBe(400);
    expect(wider.body).toMatchObject({ error: 'invalid_scope' });
    const narrower = await refresh(first.refresh_token!, clientId, { scope: 'mcp:tools' });
    expect(narrower.status).toBe(200);
    expect(narrower.body).toMatchObject({ scope: 'mcp:tools' });
  });
});

describe('refresh tokens under concurrency', () => {
  const { auth, raceRefreshes, refresh } = useAuthServer({ users: { alice: 'secret-a' }, consent: false });

  it('of several simultaneous refreshes at most one succeeds, and the family is revoked', async () => {
    const tokens = await auth().userToken({ username: 'alice', password: 'secret-a' });
    const clientId = clientIdOf(tokens.access_token);
    const { bodies, winners: ok } = await raceRefreshes(tokens.refresh_token!, clientId, 6);
    expect(ok.length).toBeLessThanOrEqual(1);
    expect(bodies.filter((b) => b.error === 'invalid_grant').length).toBeGreaterThanOrEqual(5);
    for (const b of ok)
      expect((await refresh(b.refresh_token!, clientId)).body).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('refresh token lifetimes', () => {
  const clock = testClock();
  const { auth, refresh } = useAuthServer({
    users: { alice: 'secret-a' },
    consent: false,
    clock: clock.now,
    env: { AUTH_REFRESH_TOKEN_IDLE_TTL: '600', AUTH_REFRESH_TOKEN_ABSOLUTE_TTL: '1000' },
  });
  beforeEach(() => {
    clock.set(0);
  });

  it('a refresh token unused for longer than the idle lifetime is refused', async () => {
    const t = await auth().userToken({ username: 'alice', password: 'secret-a' });
    clock.set(601);
    const res = await refresh(t.refresh_token!, clientIdOf(t.access_token));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/expired/),
    });
  });

  it('rotation keeps a family alive only until its absolute lifetime', async () => {
    const t = await auth().userToken({ username: 'alice', password: 'secret-a' });
    const clientId = clientIdOf(t.access_token);
    clock.set(500);
    const r1 = await refresh(t.refresh_token!, clientId);
    expect(r1.status).toBe(200);
    const next = r1.body as { refresh_token: string };
    clock.set(1001);
    const r2 = await refresh(next.refresh_token, clientId);
    expect(r2.status).toBe(400);
    expect(r2.body).toMatchObject({ error: 'invalid_grant' });
  });
});
