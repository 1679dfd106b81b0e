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
