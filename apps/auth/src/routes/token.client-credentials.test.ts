import { useAuthServer } from '../testing/setup.js';

const EDGE = 'http://localhost:4000';

describe('client credentials', () => {
  const { auth, edge, submit, token, verifyWithJwks } = useAuthServer({
    users: { alice: 'secret-a', bob: 'secret-b' },
  });

  it('issues a client token to a confidential client', async () => {
    const res = await token({ grant_type: 'client_credentials', scope: 'mcp:tools' }, edge());
    expect(res.status).toBe(200);
    const body = res.body as Record<string, unknown>;
    expect(body.refresh_token).toBeUndefined();
    const { claims } = await verifyWithJwks(body.access_token as string, `${EDGE}/mcp`);
    expect(claims).toMatchObject({
      sub: 'mcp-edge',
      sub_type: 'client',
      client_id: 'mcp-edge',
      scope: 'mcp:tools',
    });
    expect(claims.username).toBeUndefined();
  });

  it('refuses a wrong secret with 401 and a Basic challenge', async () => {
    const res = await token(
      { grant_type: 'client_credentials' },
      { id: edge().id, secret: 'wrong-secret-value' },
    );
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(res.body).toMatchObject({ error: 'invalid_client' });
  });

  it('refuses public clients', async () => {
    const pub = await auth().registerClient();
    const res = await token({ grant_type: 'client_credentials', client_id: pub.clientId });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'unauthorized_client' });
  });

  it('refuses a confidential client that does not authenticate', async () => {
    const res = await token({ grant_type: 'client_credentials', client_id: auth().edgeClient.clientId });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'invalid_client' });
  });

  it('refuses a malformed Basic header with a challenge', async () => {
    const res = await submit('/token', { grant_type: 'client_credentials' }, { authorization: 'Basic !!!' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
  });
});
