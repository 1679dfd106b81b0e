import { clientIdOf, useAuthServer } from '../testing/setup.js';

const { auth, introspect, post, refresh } = useAuthServer({
  users: { alice: 'secret-a', bob: 'secret-b' },
  consent: false,
});

describe('revocation (RFC 7009)', () => {
  it('revoking a refresh token ends its family and the access token issued with it', async () => {
    const tokens = await auth().userToken({ username: 'alice', password: 'secret-a' });
    const clientId = clientIdOf(tokens.access_token);
    expect((await introspect(tokens.refresh_token!)).active).toBe(false); // not the edge's token
    const res = await post('/revoke', { token: tokens.refresh_token!, client_id: clientId });
    expect(res.status).toBe(200);
    expect((await introspect(tokens.access_token)).active).toBe(false);
    expect((await refresh(tokens.refresh_token!, clientId)).body).toMatchObject({ error: 'invalid_grant' });
  });

  it('revoking an access token deny-lists its jti; another client cannot revoke it', async () => {
    const tokens = await auth().userToken({ username: 'bob', password: 'secret-b' });
    const clientId = clientIdOf(tokens.access_token);
    const stranger = await auth().registerClient();
    expect((await post('/revoke', { token: tokens.access_token, client_id: stranger.clientId })).status).toBe(
      200,
    );
    expect((await introspect(tokens.access_token)).active).toBe(true);
    expect((await post('/revoke', { token: tokens.access_token, client_id: clientId })).status).toBe(200);
    expect((await introspect(tokens.access_token)).active).toBe(false);
    const exchange = await auth()
      .exchange(tokens.access_token, 'http://localhost:4002')
      .catch((e: Error) => e);
    expect(exchange).toBeInstanceOf(Error);
  });

  it('answers 200 for unknown tokens and 401 for unknown clients', async () => {
    const client = await auth().registerClient();
    expect((await post('/revoke', { token: 'whatever', client_id: client.clientId })).status).toBe(200);
    const anon = await post('/revoke', { token: 'whatever' });
    expect(anon.status).toBe(401);
    expect(anon.body).toMatchObject({ error: 'invalid_client' });
    const missing = await post('/revoke', { client_id: client.clientId });
    expect(missing.body).toMatchObject({ error: 'invalid_request' });
  });
});
