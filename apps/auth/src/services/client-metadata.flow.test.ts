import jwt from 'jsonwebtoken';
import { useAuthServer } from '../testing/setup.js';

const CLIENT_ID = 'https://mcp-client.example/oauth/client.json';
const REDIRECT = 'http://127.0.0.1:45678/callback';
const client = { clientId: CLIENT_ID, redirectUri: REDIRECT };

const fetched: string[] = [];
const { auth, authorizeQuery, redeem, signIn } = useAuthServer({
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

describe('Client ID Metadata Documents over HTTP', () => {
  it('signs in a client identified by its metadata URL, with consent, and issues tokens', async () => {
    const { code, verifier } = await signIn(client, 'alice', 'secret-a');
    const res = await redeem(client, code, verifier);
    expect(res.status).toBe(200);
    const body = res.body as { access_token: string; refresh_token: string };
    expect(jwt.decode(body.access_token)).toMatchObject({ client_id: CLIENT_ID, username: 'alice' });
    expect(body.refresh_token).toBeTruthy();
    expect(fetched.filter((u) => u === CLIENT_ID)).toHaveLength(1);
  });

  it('refuses a redirect URI the document does not list, without redirecting', async () => {
    const q = authorizeQuery(client, { redirect_uri: 'https://evil.example/cb', state: 's' });
    const res = await fetch(`${auth().url}/authorize?${q}`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });

  it('treats an unreachable document as an unknown client', async () => {
    const q = authorizeQuery({ clientId: 'https://mcp-client.example/missing.json', redirectUri: REDIRECT });
    const res = await fetch(`${auth().url}/authorize?${q}`, {
      redirect: 'manual',
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('announces support in the metadata', async () => {
    const m = (await (await fetch(`${auth().url}/.well-known/oauth-authorization-server`)).json()) as Record<
      string,
      unknown
    >;
    expect(m.client_id_metadata_document_supported).toBe(true);
  });
});
