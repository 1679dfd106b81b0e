import { pkcePair, readForm } from '@mcp-langgraph/testing';
import { startAuthServer, type TestAuthServer } from './testing.js';

let auth: TestAuthServer;
let client: { clientId: string; redirectUri: string };

beforeAll(async () => {
  auth = await startAuthServer({ users: { alice: 'secret-a' }, consent: false });
  client = await auth.registerClient(['https://client.example/cb']);
});
afterAll(async () => {
  await auth.close();
});

function authorizeQuery(over: Record<string, string | undefined> = {}) {
  const { challenge } = pkcePair();
  const base: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    state: 'xyz',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...over,
  };
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(base)) if (v !== undefined) q.set(k, v);
  return q;
}

const post = (path: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${auth.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(body),
  });

describe('/authorize before the redirect URI is trusted: shown, never redirected', () => {
  it.each([
    ['unknown client', { client_id: 'nope' }],
    ['missing client', { client_id: undefined }],
    ['unregistered redirect', { redirect_uri: 'https://evil.example/cb' }],
    ['redirect differing by a trailing slash', { redirect_uri: 'https://client.example/cb/' }],
    ['missing redirect', { redirect_uri: undefined }],
  ])('%s', async (_name, over) => {
    const res = await fetch(`${auth.url}/authorize?${authorizeQuery(over)}`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('answers JSON to clients that ask for it', async () => {
    const res = await fetch(`${auth.url}/authorize?${authorizeQuery({ client_id: 'nope' })}`, {
      redirect: 'manual',
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('escapes reflected values', async () => {
    const res = await fetch(
      `${auth.url}/authorize?${authorizeQuery({ client_id: '<script>alert(1)</script>' })}`,
    );
    expect(await res.text()).not.toContain('<script>');
  });
});

describe('/authorize after the redirect URI is trusted: errors go back to the client', () => {
  it.each([
    ['plain PKCE', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['no challenge method (plain by default)', { code_challenge_method: undefined }, 'invalid_request'],
    ['missing challenge', { code_challenge: undefined }, 'invalid_request'],
    ['implicit flow', { response_type: 'token' }, 'unsupported_response_type'],
    ['unknown scope', { scope: 'root' }, 'invalid_scope'],
    ['admin scope for a registered client', { scope: 'admin' }, 'invalid_scope'],
    ['agent audience', { resource: 'http://localhost:4002' }, 'invalid_target'],
    ['foreign audience', { resource: 'https://other.example/mcp' }, 'invalid_target'],
  ])('%s → %s', async (_name, over, error) => {
    const res = await fetch(`${auth.url}/authorize?${authorizeQuery(over)}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location')!);
    expect(back.origin).toBe('https://client.example');
    expect(back.searchParams.get('error')).toBe(error);
    expect(back.searchParams.get('state')).toBe('xyz');
    expect(back.searchParams.get('iss')).toBe(auth.issuer);
  });

  it('requires state', async () => {
    const res = await fetch(`${auth.url}/authorize?${authorizeQuery({ state: undefined })}`, {
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location')!);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('code')).toBeNull();
  });

  it('refuses a repeated parameter', async () => {
    const q = authorizeQuery();
    q.append('scope', 'mcp:tools');
    q.append('scope', 'admin');
    const res = await fetch(`${auth.url}/authorize?${q}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('invalid_scope');
  });
});

describe('login form', () => {
  async function loginFields() {
    const page = await fetch(`${auth.url}/authorize?${authorizeQuery()}`);
    return readForm(await page.text()).fields;
  }

  it('gives the same answer for a wrong password and an unknown user', async () => {
    const fields = await loginFields();
    const wrong = await post('/authorize', { ...fields, username: 'alice', password: 'nope' });
    const unknown = await post('/authorize', { ...fields, username: 'mallory', password: 'nope' });
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
      const res = await post('/authorize', {
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
    const other = readForm(
      await (await fetch(`${auth.url}/authorize?${authorizeQuery({ state: 'other' })}`)).text(),
    );
    const res = await post('/authorize', {
      ...fields,
      csrf_token: other.fields.csrf_token!,
      username: 'alice',
      password: 'secret-a',
    });
    expect(res.status).toBe(400);
  });

  it('refuses a posted form whose hidden fields were altered to another redirect', async () => {
    const fields = await loginFields();
    const res = await post('/authorize', {
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
    const page = await fetch(`${auth.url}/authorize?${authorizeQuery()}`);
    const fields = readForm(await page.text()).fields;
    const unknown = jest.spyOn(auth.context.passwords, 'verifyUnknown');
    const known = jest.spyOn(auth.context.passwords, 'verify');
    try {
      await post('/authorize', { ...fields, username: 'nobody-here', password: 'guess' });
      expect(unknown).toHaveBeenCalledTimes(1);
      expect(known).not.toHaveBeenCalled();
      await post('/authorize', { ...fields, username: 'alice', password: 'guess' });
      expect(known).toHaveBeenCalledTimes(1);
    } finally {
      unknown.mockRestore();
      known.mockRestore();
    }
  });
});

describe('consent form integrity', () => {
  async function consentFields() {
    const consenting = await startAuthServer({ users: { alice: 'secret-a', bob: 'secret-b' } });
    const c = await consenting.registerClient(['https://client.example/cb']);
    const { challenge } = pkcePair();
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: c.clientId,
      redirect_uri: c.redirectUri,
      state: 'st',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      scope: 'mcp:tools',
    });
    const login = readForm(await (await fetch(`${consenting.url}/authorize?${q}`)).text());
    const res = await fetch(`${consenting.url}/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...login.fields, username: 'alice', password: 'secret-a' }),
    });
    const bob = await consenting.context.users.findByUsername('bob');
    return { server: consenting, fields: readForm(await res.text()).fields, bobId: bob!.id };
  }

  it('refuses a consent form whose user, scope or token was altered', async () => {
    const { server, fields, bobId } = await consentFields();
    try {
      const send = (over: Record<string, string>) =>
        fetch(`${server.url}/authorize/consent`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ ...fields, decision: 'allow', ...over }),
        });
      const alterations: Record<string, string>[] = [
        { user_id: bobId },
        { granted_scope: 'mcp:tools admin' },
        { scope: 'mcp:tools conversations:read', granted_scope: 'mcp:tools conversations:read' },
        { consent_token: 'forged.token.value' },
        { state: 'other' },
      ];
      for (const over of alterations) {
        const res = await send(over);
        expect(res.status).toBe(400);
        expect(res.headers.get('location')).toBeNull();
      }
      const ok = await send({});
      expect(ok.status).toBe(302);
      expect(new URL(ok.headers.get('location')!).searchParams.get('code')).toBeTruthy();
    } finally {
      await server.close();
    }
  });
});

describe('/token bad input', () => {
  const edge = () =>
    `Basic ${Buffer.from(`${auth.edgeClient.clientId}:${auth.edgeClient.clientSecret}`).toString('base64')}`;

  it.each([
    ['no body', {}, 'invalid_request'],
    ['unknown grant', { grant_type: 'password', username: 'a', password: 'b' }, 'unsupported_grant_type'],
    ['implicit', { grant_type: 'implicit' }, 'unsupported_grant_type'],
  ])('%s → %s', async (_n, body, error) => {
    const res = await post('/token', body as Record<string, string>, { authorization: edge() });
    expect(res.status).toBe(400);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toMatchObject({ error });
  });

  it('answers JSON errors for malformed JSON and wrong content types', async () => {
    const bad = await fetch(`${auth.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"grant_type":',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error?: string }).error).toBeDefined();
    const text = await fetch(`${auth.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(text.status).toBe(400);
    expect(await text.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('refuses a missing code, a malformed verifier and an unknown client', async () => {
    const noCode = await post('/token', { grant_type: 'authorization_code', client_id: client.clientId });
    expect(await noCode.json()).toMatchObject({ error: 'invalid_request' });
    const badVerifier = await post('/token', {
      grant_type: 'authorization_code',
      client_id: client.clientId,
      code: 'abc',
      redirect_uri: client.redirectUri,
      code_verifier: 'short',
    });
    expect(await badVerifier.json()).toMatchObject({ error: 'invalid_request' });
    const unknown = await post('/token', { grant_type: 'authorization_code', client_id: 'who', code: 'abc' });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('refuses a confidential client that does not authenticate', async () => {
    const res = await post('/token', {
      grant_type: 'client_credentials',
      client_id: auth.edgeClient.clientId,
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('refuses a malformed Basic header with a challenge', async () => {
    const res = await post('/token', { grant_type: 'client_credentials' }, { authorization: 'Basic !!!' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
  });

  it('refuses an unknown code', async () => {
    const res = await post('/token', {
      grant_type: 'authorization_code',
      client_id: client.clientId,
      code: 'made-up-code',
      redirect_uri: client.redirectUri,
      code_verifier: 'a'.repeat(43),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('/register', () => {
  const register = (body: unknown) =>
    fetch(`${auth.url}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it.each([
    ['plain http to a remote host', ['http://example.com/cb']],
    ['custom scheme', ['javascript:alert(1)']],
    ['fragment', ['https://a.example/cb#x']],
    ['not a URL', ['nope']],
    ['empty list', []],
  ])('refuses %s', async (_n, uris) => {
    const res = await register({ redirect_uris: uris });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_redirect_uri' });
  });

  it.each([
    ['http://127.0.0.1:8080/cb'],
    ['http://localhost:3000/cb'],
    ['http://[::1]:5000/cb'],
    ['https://a.example/cb'],
  ])('accepts %s', async (uri) => {
    const res = await register({ redirect_uris: [uri] });
    expect(res.status).toBe(201);
  });

  it('tolerates a client registering twice with the same metadata', async () => {
    const body = { redirect_uris: ['http://localhost:6274/oauth/callback'], client_name: 'Claude' };
    const a = await register(body);
    const b = await register(body);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(((await b.json()) as { client_id?: string }).client_id).toBeTruthy();
  });

  it('refuses grants beyond the code flow and malformed metadata', async () => {
    const cc = await register({
      redirect_uris: ['https://a.example/cb'],
      grant_types: ['client_credentials'],
    });
    expect(await cc.json()).toMatchObject({ error: 'invalid_client_metadata' });
    const name = await register({ redirect_uris: ['https://a.example/cb'], client_name: 42 });
    expect(await name.json()).toMatchObject({ error: 'invalid_client_metadata' });
  });
});
