import { useAuthServer } from '../testing/setup.js';

const { auth } = useAuthServer();

describe('/register', () => {
  const register = (body: unknown) =>
    fetch(`${auth().url}/register`, {
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
    ['a backslash before userinfo', ['https://evil.example\\@app.example/cb']],
    ['userinfo', ['https://evil.example@app.example/cb']],
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

describe('/register rate limit', () => {
  const { auth } = useAuthServer({ env: { TRUST_PROXY: 'true' } });
  const register = (ip: string) =>
    fetch(`${auth().url}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify({ redirect_uris: ['https://a.example/cb'] }),
    });

  it('allows 20 registrations per address per hour, then answers 429 in RFC 7591 form', async () => {
    for (let i = 0; i < 20; i++) expect((await register('198.51.100.1')).status).toBe(201);
    const refused = await register('198.51.100.1');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect(await refused.json()).toEqual({
      error: 'temporarily_unavailable',
      error_description: expect.stringMatching(/too many registrations/i),
    });
    // Another address still registers; refused and malformed requests create nothing.
    expect((await register('198.51.100.2')).status).toBe(201);
    const count = await auth().db.selectFrom('clients').select('client_id').execute();
    expect(count).toHaveLength(21 + 2);
  });

  it('counts in the store, so every replica sees the same count', async () => {
    const row = await auth()
      .db.selectFrom('rate_limits')
      .selectAll()
      .where('key', 'like', '%198.51.100.1%')
      .executeTakeFirst();
    expect(row).toMatchObject({ count: 21 });
  });
});

describe('/register client names', () => {
  const { auth } = useAuthServer();
  const register = (client_name: string) =>
    fetch(`${auth().url}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['https://a.example/cb'], client_name }),
    });

  it.each([
    'MCP edge',
    'mcp edge',
    'MCP  EDGE',
    ' MCPedge ',
    'ＭＣＰ ｅｄｇｅ',
    'MCP\u00a0edge',
    'MCP\u200bedge',
    'ᴹᶜᴾ edge',
    'Agent',
  ])('refuses %j, the name of a first-party client', async (name) => {
    const res = await register(name);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_client_metadata' });
  });

  it.each(['MCP edge client by Example', 'My editor', 'Claude'])('accepts %j', async (name) => {
    expect((await register(name)).status).toBe(201);
  });
});
