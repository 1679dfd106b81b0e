import { basicAuth } from '@mcp-langgraph/testing';
import { useAuthServer } from '../testing/setup.js';

const { auth, edge, submit } = useAuthServer({ users: { alice: 'secret-a' }, consent: false });

describe('hostile strings in every field', () => {
  const hostile = [
    "' OR '1'='1",
    '"; DROP TABLE users; --',
    'x'.repeat(60_000),
    '\u0000\u202e<img src=x>',
    '%00%27',
  ];
  const endpoints: [string, string[]][] = [
    [
      '/token',
      [
        'grant_type',
        'code',
        'redirect_uri',
        'code_verifier',
        'client_id',
        'client_secret',
        'refresh_token',
        'scope',
        'resource',
        'subject_token',
        'subject_token_type',
      ],
    ],
    [
      '/authorize',
      [
        'client_id',
        'redirect_uri',
        'state',
        'scope',
        'resource',
        'code_challenge',
        'username',
        'password',
        'csrf_token',
      ],
    ],
    ['/authorize/consent', ['client_id', 'user_id', 'granted_scope', 'consent_token', 'decision']],
    ['/revoke', ['token', 'client_id', 'token_type_hint']],
    ['/introspect', ['token']],
  ];

  it.each(endpoints)(
    '%s answers every hostile field with a 4xx or a normal answer, never a 500',
    async (path, fields) => {
      const client = await auth().registerClient();
      const headers: Record<string, string> =
        path === '/introspect' ? { authorization: basicAuth(edge().id, edge().secret) } : {};
      for (const field of fields)
        for (const value of hostile) {
          const body: Record<string, string> = {
            grant_type: 'authorization_code',
            client_id: client.clientId,
            redirect_uri: client.redirectUri,
            state: 's',
            code_challenge: 'a'.repeat(43),
            code_challenge_method: 'S256',
            response_type: 'code',
            token: 'abc',
            [field]: value,
          };
          const res = await submit(path, body, headers);
          expect(res.status).toBeLessThan(500);
          const text = await res.text();
          expect(text).not.toMatch(/at .*\.ts:\d+|SqliteError|syntax error/);
          if (res.headers.get('content-type')?.includes('html')) expect(text).not.toContain('<img src=x>');
        }
      // Nothing was dropped or altered: the user can still sign in.
      expect((await auth().userToken({ username: 'alice', password: 'secret-a' })).access_token).toBeTruthy();
    },
  );

  it('/register answers hostile metadata with 400 and GET /authorize with a page or redirect', async () => {
    for (const value of hostile) {
      const reg = await fetch(`${auth().url}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ redirect_uris: [value], client_name: value }),
      });
      expect([400, 413]).toContain(reg.status);
      const q = new URLSearchParams({
        client_id: value.slice(0, 5000),
        redirect_uri: value.slice(0, 5000),
        state: value.slice(0, 5000),
      });
      const page = await fetch(`${auth().url}/authorize?${q}`, { redirect: 'manual' });
      expect(page.status).toBe(400);
    }
  });

  it('a body over the size limit is refused with 413', async () => {
    const res = await submit('/token', { grant_type: 'client_credentials', code: 'x'.repeat(200_000) });
    expect(res.status).toBe(413);
  });
});
