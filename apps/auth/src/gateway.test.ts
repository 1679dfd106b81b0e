import { GATEWAY_SECRET_HEADER } from '@mcp-langgraph/observability';
import { basicAuthorization } from '@mcp-langgraph/protocol';
import { startAuthServer, type TestAuthServer } from './testing.js';

const SECRET = 'auth-test-gateway-secret-0123456789';

/** The authorization server with GATEWAY_SECRET set, as in production behind Kong. */
describe('auth behind a mandatory gateway', () => {
  let auth: TestAuthServer;
  beforeAll(async () => {
    auth = await startAuthServer({ env: { GATEWAY_SECRET: SECRET } });
  });
  afterAll(() => auth.close());

  const metadata = (headers: Record<string, string> = {}) =>
    fetch(`${auth.url}/.well-known/oauth-authorization-server`, { headers });

  it('refuses the OAuth endpoints without the gateway secret, or with a wrong one', async () => {
    const attempts: Array<Record<string, string>> = [{}, { [GATEWAY_SECRET_HEADER]: 'not-the-secret' }];
    for (const headers of attempts) {
      const res = await metadata(headers);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: 'gateway_required' });
      const token = await fetch(`${auth.url}/token`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      expect(token.status).toBe(403);
      expect(await token.json()).toMatchObject({ error: 'gateway_required' });
    }
  });

  it('serves them when the request carries the secret, as Kong adds it', async () => {
    const res = await metadata({ [GATEWAY_SECRET_HEADER]: SECRET });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ issuer: auth.issuer });
  });

  it('serves the public keys and the revocation feed to the other services directly', async () => {
    const keys = await fetch(auth.jwksUrl);
    expect(keys.status).toBe(200);
    const feed = await fetch(`${auth.url}/revocations`, {
      headers: {
        authorization: basicAuthorization(auth.edgeClient.clientId, auth.edgeClient.clientSecret),
      },
    });
    expect(feed.status).toBe(200);
    // The feed still authenticates its callers itself.
    expect((await fetch(`${auth.url}/revocations`)).status).toBe(401);
  });
});
