import { type TestClient, useAuthServer } from '../testing/setup.js';

const { auth, authorizeQuery: query } = useAuthServer({ users: { alice: 'secret-a' }, consent: false });
let client: TestClient;
beforeAll(async () => {
  client = await auth().registerClient(['https://client.example/cb']);
});

const authorizeQuery = (over: Record<string, string | undefined> = {}) => query(client, over);

describe('/authorize before the redirect URI is trusted: shown, never redirected', () => {
  it.each([
    ['unknown client', { client_id: 'nope' }],
    ['missing client', { client_id: undefined }],
    ['unregistered redirect', { redirect_uri: 'https://evil.example/cb' }],
    ['redirect differing by a trailing slash', { redirect_uri: 'https://client.example/cb/' }],
    ['missing redirect', { redirect_uri: undefined }],
  ])('%s', async (_name, over) => {
    const res = await fetch(`${auth().url}/authorize?${authorizeQuery(over)}`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('answers JSON to clients that ask for it', async () => {
    const res = await fetch(`${auth().url}/authorize?${authorizeQuery({ client_id: 'nope' })}`, {
      redirect: 'manual',
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('escapes reflected values', async () => {
    const res = await fetch(
      `${auth().url}/authorize?${authorizeQuery({ client_id: '<script>alert(1)</script>' })}`,
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
    const res = await fetch(`${auth().url}/authorize?${authorizeQuery(over)}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location')!);
    expect(back.origin).toBe('https://client.example');
    expect(back.searchParams.get('error')).toBe(error);
    expect(back.searchParams.get('state')).toBe('xyz');
    expect(back.searchParams.get('iss')).toBe(auth().issuer);
  });

  it('requires state', async () => {
    const res = await fetch(`${auth().url}/authorize?${authorizeQuery({ state: undefined })}`, {
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
    const res = await fetch(`${auth().url}/authorize?${q}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('invalid_scope');
  });

  it('accepts the MCP resource however its URL is written (the platform URL rule)', async () => {
    const res = await fetch(
      `${auth().url}/authorize?${authorizeQuery({ resource: 'http://LOCALHOST:4000/mcp/' })}`,
      {
        redirect: 'manual',
      },
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('value="http://localhost:4000/mcp"');
  });
});
