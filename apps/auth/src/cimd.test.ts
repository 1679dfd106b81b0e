import jwt from 'jsonwebtoken';
import { authorizeWithPassword, startAuthServer, type TestAuthServer } from './testing.js';

const CLIENT_ID = 'https://mcp-client.example/oauth/client.json';
const REDIRECT = 'http://127.0.0.1:45678/callback';

let auth: TestAuthServer;
const fetched: string[] = [];

beforeAll(async () => {
  auth = await startAuthServer({
    users: { alice: 'secret-a' },
    fetchClientMetadata: async (url) => {
      fetched.push(url.toString());
      if (url.toString() !== CLIENT_ID) return { status: 404, body: '' };
      return {
        status: 200,
        body: JSON.stringify({ client_id: CLIENT_ID, client_name: 'Docs Client', redirect_uris: [REDIRECT] }),
      };
    },
  });
});
afterAll(async () => {
  await auth.close();
});

describe('Client ID Metadata Documents over HTTP', () => {
  it('signs in a client identified by its metadata URL, with consent, and issues tokens', async () => {
    const { code, verifier } = await authorizeWithPassword({
      authUrl: auth.url,
      clientId: CLIENT_ID,
      redirectUri: REDIRECT,
      username: 'alice',
      password: 'secret-a',
    });
    const res = await fetch(`${auth.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
        client_id: CLIENT_ID,
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; refresh_token: string };
    expect(jwt.decode(body.access_token)).toMatchObject({ client_id: CLIENT_ID, username: 'alice' });
    expect(body.refresh_token).toBeTruthy();
    expect(fetched.filter((u) => u === CLIENT_ID)).toHaveLength(1);
  });

  it('refuses a redirect URI the document does not list, without redirecting', async () => {
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: 'https://evil.example/cb',
      state: 's',
      code_challenge: 'a'.repeat(43),
      code_challenge_method: 'S256',
    });
    const res = await fetch(`${auth.url}/authorize?${q}`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });

  it('treats an unreachable document as an unknown client', async () => {
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: 'https://mcp-client.example/missing.json',
      redirect_uri: REDIRECT,
      state: 's',
      code_challenge: 'a'.repeat(43),
      code_challenge_method: 'S256',
    });
    const res = await fetch(`${auth.url}/authorize?${q}`, {
      redirect: 'manual',
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('announces support in the metadata', async () => {
    const m = (await (await fetch(`${auth.url}/.well-known/oauth-authorization-server`)).json()) as Record<
      string,
      unknown
    >;
    expect(m.client_id_metadata_document_supported).toBe(true);
  });
});
