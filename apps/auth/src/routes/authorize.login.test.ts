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
      const fields = await loginFields();
      const wrong = await submit('/authorize', { ...fields, username: 'alice', password: 'nope' });
      const unknown = await submit('/authorize', { ...fields, username: 'mallory', password: 'nope' });
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
        await submit('/authorize', { ...fields, username: 'alice', password: 'guess' });
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
    env: { AUTH_LOGIN_MAX_FAILURES: '3', AUTH_LOGIN_LOCKOUT_SECONDS: '600' },
  });
  const post = (fields: Record<string, string>) => submit('/authorize', fields);

  it('locks an account after repeated failures, even for the right password, and counts failures', async () => {
    await auth().context.users.upsert({
      username: 'victim',
      passwordHash: await auth().context.passwords.hash('right-password'),
      scopes: ['mcp:tools'],
      tier: 'free',
    });
    const fields = (await loginForm(await auth().registerClient())).fields;
    for (let i = 0; i < 3; i++) {
      const res = await post({ ...fields, username: 'victim', password: `guess-${i}` });
      expect(res.status).toBe(401);
    }
    const locked = await post({ ...fields, username: 'victim', password: 'right-password' });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Unknown accounts lock the same way, so lockout reveals nothing about existence.
    for (let i = 0; i < 3; i++) await post({ ...fields, username: 'ghost', password: 'x' });
    expect((await post({ ...fields, username: 'ghost', password: 'x' })).status).toBe(429);

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
});
