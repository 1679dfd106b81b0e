import { type TestClient, useAuthServer } from '../testing/setup.js';

describe('signing in', () => {
  const { auth, loginForm, submit } = useAuthServer({ users: { alice: 'secret-a' }, consent: false });
  let client: TestClient;
  beforeAll(async () => {
    client = await auth().registerClient(['https://client.example/cb']);
  });
  const loginFields = async () => (await loginForm(client)).fields;

  describe('login form', () => {
    it('gives the same answer for a wrong password and an unknown user', async () => {
      const wrong = await submit('/authorize', {
        ...(await loginFields()),
        username: 'alice',
        password: 'nope',
      });
      const unknown = await submit('/authorize', {
        ...(await loginFields()),
        username: 'mallory',
        password: 'nope',
      });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      const a = (await wrong.text()).replace(/value="[^"]*"/g, '');
      const b = (await unknown.text()).replace(/value="[^"]*"/g, '');
      expect(a).toBe(b);
      expect(a).toContain('Invalid username or password');
    });

    it('refuses a form without a valid CSRF token', async () => {
      const fields = await loginFields();
      for (const csrf of ['', 'forged', `${fields.csrf_token}x`]) {
        const res = await submit('/authorize', {
          ...fields,
          csrf_token: csrf,
          username: 'alice',
          password: 'secret-a',
        });
        expect(res.status).toBe(400);
        expect(res.headers.get('location')).toBeNull();
      }
    });

    it('refuses a CSRF token taken from another request', async () => {
      const fields = await loginFields();
      const other = await loginForm(client, { state: 'other' });
      const res = await submit('/authorize', {
        ...fields,
        csrf_token: other.fields.csrf_token!,
        username: 'alice',
        password: 'secret-a',
      });
      expect(res.status).toBe(400);
    });

    it('refuses a posted form whose hidden fields were altered to another redirect', async () => {
      const fields = await loginFields();
      const res = await submit('/authorize', {
        ...fields,
        redirect_uri: 'https://evil.example/cb',
        username: 'alice',
        password: 'secret-a',
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    });
  });

  describe('equal work for unknown users', () => {
    it('an unknown username still costs a password-hash check', async () => {
      const fields = await loginFields();
      const unknown = jest.spyOn(auth().context.passwords, 'verifyUnknown');
      const known = jest.spyOn(auth().context.passwords, 'verify');
      try {
        await submit('/authorize', { ...fields, username: 'nobody-here', password: 'guess' });
        expect(unknown).toHaveBeenCalledTimes(1);
        expect(known).not.toHaveBeenCalled();
        await submit('/authorize', { ...(await loginFields()), username: 'alice', password: 'guess' });
        expect(known).toHaveBeenCalledTimes(1);
      } finally {
        unknown.mockRestore();
        known.mockRestore();
      }
    });
  });
});

describe('login throttling', () => {
  const { auth, loginForm, submit } = useAuthServer({
    users: { alice: 'secret-a', bob: 'secret-b' },
    consent: false,
    // Each test's "addresses" are X-Forwarded-For values, as behind one trusted proxy.
    env: {
      AUTH_LOGIN_MAX_FAILURES: '3',
      AUTH_LOGIN_LOCKOUT_SECONDS: '600',
      AUTH_LOGIN_DELAY_MS: '100',
      TRUST_PROXY: 'true',
    },
  });
  let client: Promise<TestClient>;
  beforeAll(() => {
    client = auth().registerClient();
  });
  /** One sign-in attempt from `ip`, through a fresh login form (each form is answered once). */
  const attempt = async (username: string, password: string, ip: string) => {
    const { fields } = await loginForm(await client);
    return submit('/authorize', { ...fields, username, password }, { 'x-forwarded-for': ip });
  };
  // The delays the server would wait before answering, recorded instead of waited for.
  let delays: number[] = [];
  let sleep: jest.SpyInstance;
  beforeEach(() => {
    delays = [];
    sleep = jest.spyOn(auth().context, 'sleep').mockImplementation(async (ms) => {
      delays.push(ms);
    });
  });
  afterEach(() => sleep.mockRestore());
  beforeAll(async () => {
    await auth().context.users.upsert({
      username: 'victim',
      passwordHash: await auth().context.passwords.hash('right-password'),
      scopes: ['mcp:tools'],
      tier: 'free',
    });
  });

  it('failures from many addresses slow an account down but never lock its owner out', async () => {
    for (let i = 0; i < 8; i++)
      expect((await attempt('victim', `guess-${i}`, `198.51.100.${i}`)).status).toBe(401);
    // The owner, from yet another address, gets in with the right password, after the delay.
    const owner = await attempt('victim', 'right-password', '203.0.113.7');
    expect(owner.status).toBe(302);
    expect(new URL(owner.headers.get('location')!).searchParams.get('code')).toBeTruthy();
    // Delays double per failure after the first three, up to the cap (8 x the base).
    expect(delays).toEqual([100, 200, 400, 800, 800, 800]);
    // The success started the account afresh.
    expect((await attempt('victim', 'wrong', '203.0.113.7')).status).toBe(401);
    expect(delays).toHaveLength(6);
  });

  it('unknown accounts are slowed down alike, so the delay reveals nothing about existence', async () => {
    for (let i = 0; i < 6; i++) await attempt('ghost', 'x', `198.51.100.${50 + i}`);
    for (let i = 0; i < 6; i++) await attempt('bob', 'x', `198.51.100.${60 + i}`);
    expect(delays.slice(0, 3)).toEqual(delays.slice(3));
    expect(delays).toHaveLength(6);
  });

  it('locks out an address after three times the limit, and counts failures', async () => {
    for (let i = 0; i < 9; i++) expect((await attempt(`user${i}`, 'x', '192.0.2.99')).status).toBe(401);
    const locked = await attempt('alice', 'secret-a', '192.0.2.99');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await attempt('alice', 'secret-a', '192.0.2.100')).status).toBe(302);
    const metrics = await (await fetch(`${auth().url}/metrics`)).text();
    expect(metrics).toMatch(/auth_failures_total\{reason="invalid_credentials"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/auth_failures_total\{reason="locked_out"[^}]*\} [1-9]/);
  });

  it('audits failures without the attempted password', async () => {
    const entries = await auth().context.audit.recent(500);
    const failures = entries.filter((e) => e.event === 'login' && e.outcome === 'failure');
    expect(failures.length).toBeGreaterThan(0);
    const dump = JSON.stringify(entries);
    expect(dump).not.toContain('guess-0');
    expect(dump).not.toContain('right-password');
  });

  it('audits a typed username only when it names an account', async () => {
    const typo = 'hunter2-typed-into-the-username-field';
    expect((await attempt(typo, 'x', '192.0.2.200')).status).toBe(401);
    expect((await attempt('bob', 'not-bobs', '192.0.2.200')).status).toBe(401);
    const entries = await auth().context.audit.recent(500);
    expect(JSON.stringify(entries)).not.toContain(typo);
    const rows = await auth().db.selectFrom('login_throttle').select('key').execute();
    expect(JSON.stringify(rows)).not.toContain(typo);
    const failures = entries.filter((e) => e.event === 'login' && e.outcome === 'failure');
    expect(failures.some((e) => e.subject === 'bob')).toBe(true);
    expect(failures.some((e) => e.detail?.known_account === false && e.subject === undefined)).toBe(true);
  });
});
