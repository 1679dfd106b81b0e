import { readForm } from '@mcp-langgraph/testing';
import { type TestClient, useAuthServer } from '../testing/setup.js';
import { startAuthServer } from '../testing.js';

/** The `name=value` of the CSRF binding cookie a response sets, and its attributes. */
function bindingCookie(res: Response) {
  const header = res.headers.getSetCookie().find((c) => /^(__Host-)?mcp-csrf=/.test(c));
  if (!header) return undefined;
  const [pair = '', ...attributes] = header.split(';').map((s) => s.trim());
  return { pair, attributes: attributes.map((a) => a.toLowerCase()) };
}

describe('the browser-binding cookie', () => {
  const { auth, authorizeQuery } = useAuthServer({ users: { alice: 'secret-a' } });

  it('is set by the login page on plain-http loopback: HttpOnly, SameSite=Lax, Path=/', async () => {
    const client = await auth().registerClient();
    const res = await fetch(`${auth().url}/authorize?${authorizeQuery(client)}`);
    expect(res.status).toBe(200);
    const cookie = bindingCookie(res);
    expect(cookie?.pair).toMatch(/^mcp-csrf=[A-Za-z0-9_-]{32,}$/);
    expect(cookie?.attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']));
    expect(cookie?.attributes).not.toContain('secure');
  });

  it('is __Host- prefixed and Secure when the issuer is https', async () => {
    const server = await startAuthServer({ issuer: 'https://auth.example' });
    try {
      const client = await server.registerClient();
      const q = new URLSearchParams({
        response_type: 'code',
        client_id: client.clientId,
        redirect_uri: client.redirectUri,
        state: 's',
        code_challenge: 'a'.repeat(43),
        code_challenge_method: 'S256',
      });
      const cookie = bindingCookie(await fetch(`${server.url}/authorize?${q}`));
      expect(cookie?.pair).toMatch(/^__Host-mcp-csrf=/);
      expect(cookie?.attributes).toEqual(
        expect.arrayContaining(['secure', 'httponly', 'samesite=lax', 'path=/']),
      );
      expect(cookie?.attributes.some((a) => a.startsWith('domain='))).toBe(false);
    } finally {
      await server.close();
    }
  });
});

describe('login and consent forms are bound to the browser', () => {
  const { auth, addClient, loginForm, submit, cookies, authorizeQuery } = useAuthServer({
    users: { alice: 'secret-a' },
  });
  let firstParty: TestClient;
  // A client alice has not agreed to yet, so signing in shows the consent page.
  const thirdParty = () => addClient('https://third.example/cb');
  beforeAll(async () => {
    firstParty = await addClient('https://first.example/cb', { firstParty: true });
  });
  const login = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    submit('/authorize', { ...fields, username: 'alice', password: 'secret-a' }, headers);
  const refused = async (res: Response, status = 400) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
  };

  it('refuses a login form posted without the cookie', async () => {
    const { fields } = await loginForm(firstParty);
    await refused(await login(fields, { cookie: '' }));
  });

  it('refuses a login form posted with the cookie of another browser', async () => {
    const { fields } = await loginForm(firstParty);
    const other = await fetch(`${auth().url}/authorize?${authorizeQuery(firstParty)}`);
    const otherCookie = bindingCookie(other)?.pair;
    expect(otherCookie).toBeTruthy();
    expect(otherCookie).not.toBe(cookies());
    await refused(await login(fields, { cookie: otherCookie! }));
  });

  it('refuses the attack as found: a foreign Origin, no cookie, a token the attacker fetched', async () => {
    const attackerPage = await fetch(`${auth().url}/authorize?${authorizeQuery(firstParty)}`);
    const { fields } = readForm(await attackerPage.text());
    const res = await login(fields, { cookie: '', origin: 'https://evil.example' });
    await refused(res, 403);
  });

  it('a login token is single use, even after a failed attempt', async () => {
    const { fields } = await loginForm(firstParty);
    const wrong = await submit('/authorize', { ...fields, username: 'alice', password: 'nope' });
    expect(wrong.status).toBe(401);
    await refused(await login(fields));
    // The page shown after the failure carries a fresh token that works once.
    const again = readForm(await wrong.text()).fields;
    const ok = await login(again);
    expect(ok.status).toBe(302);
    await refused(await login(again));
  });

  it('a consent form yields one code only', async () => {
    const page = await login((await loginForm(await thirdParty())).fields);
    expect(page.status).toBe(200);
    const consent = readForm(await page.text()).fields;
    const first = await submit('/authorize/consent', { ...consent, decision: 'allow' });
    expect(first.status).toBe(302);
    expect(new URL(first.headers.get('location')!).searchParams.get('code')).toBeTruthy();
    await refused(await submit('/authorize/consent', { ...consent, decision: 'allow' }));
    await refused(await submit('/authorize/consent', { ...consent, decision: 'deny' }));
  });

  it('refuses a consent form posted without the cookie or with another browser’s', async () => {
    const page = await login((await loginForm(await thirdParty(), { state: 'c2' })).fields);
    const consent = readForm(await page.text()).fields;
    await refused(await submit('/authorize/consent', { ...consent, decision: 'allow' }, { cookie: '' }));
    const other = bindingCookie(await fetch(`${auth().url}/authorize?${authorizeQuery(firstParty)}`))!;
    await refused(
      await submit('/authorize/consent', { ...consent, decision: 'allow' }, { cookie: other.pair }),
    );
    // Neither attempt used the form up: this browser can still answer it.
    expect((await submit('/authorize/consent', { ...consent, decision: 'allow' })).status).toBe(302);
  });

  it.each([
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['an opaque Origin', { origin: 'null' }],
    ['a foreign Origin with our Referer', { origin: 'https://evil.example', referer: 'OWN' }],
    ['a foreign Referer without Origin', { referer: 'https://evil.example/page' }],
    ['a Referer on another port', { referer: 'http://127.0.0.1:1/authorize' }],
  ])('refuses %s on both forms with a 403 page', async (_name, headers) => {
    const h = Object.fromEntries(
      Object.entries(headers).map(([k, v]) => [k, v === 'OWN' ? `${auth().url}/authorize` : v]),
    );
    const { fields } = await loginForm(await thirdParty());
    const res = await login(fields, h);
    await refused(res, 403);
    expect(await res.text()).toMatch(/another site/i);
    const page = await login((await loginForm(await thirdParty(), { state: 'o' })).fields);
    const consent = readForm(await page.text()).fields;
    await refused(await submit('/authorize/consent', { ...consent, decision: 'allow' }, h), 403);
  });

  it('accepts its own Origin, its own Referer, or neither (the cookie still decides)', async () => {
    for (const headers of [{ origin: auth().url }, { referer: `${auth().url}/authorize?x=1` }, {}] as Record<
      string,
      string
    >[]) {
      const res = await login((await loginForm(firstParty)).fields, headers);
      expect(res.status).toBe(302);
    }
    await refused(await login((await loginForm(firstParty)).fields, { cookie: '' }));
  });

  it('purges used form tokens once they have expired', async () => {
    const used = () => auth().db.selectFrom('used_form_tokens').select('id').execute();
    expect((await used()).length).toBeGreaterThan(0);
    await auth().context.formTokens.purgeExpired(Math.floor(Date.now() / 1000) + 3600);
    expect(await used()).toHaveLength(0);
  });
});
