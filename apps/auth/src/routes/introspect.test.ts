import { confidentialClientTests, testClock, useAuthServer } from '../testing/setup.js';

describe('introspection (RFC 7662)', () => {
  const clock = testClock();
  const { auth, edge, introspect, post } = useAuthServer({
    users: { alice: 'secret-a', bob: 'secret-b' },
    consent: false,
    clock: clock.now,
  });
  afterEach(() => clock.set(0));

  it('is for authenticated confidential clients only', async () => {
    const tokens = await auth().userToken({ username: 'alice', password: 'secret-a' });
    const client = await auth().registerClient();
    const asPublic = await post('/introspect', { token: tokens.access_token, client_id: client.clientId });
    expect(asPublic.status).toBe(401);
    expect(asPublic.body).toMatchObject({ error: 'invalid_client' });
    const anon = await post('/introspect', { token: tokens.access_token });
    expect(anon.status).toBe(401);
  });

  it('describes an active access token', async () => {
    const tokens = await auth().userToken({ username: 'alice', password: 'secret-a' });
    const res = await post('/introspect', { token: tokens.access_token }, edge());
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({
      active: true,
      token_type: 'Bearer',
      username: 'alice',
      sub_type: 'user',
      scope: tokens.scope,
      iss: auth().issuer,
    });
  });

  it('says a refresh token is inactive to a client it was not issued to', async () => {
    const tokens = await auth().userToken({ username: 'bob', password: 'secret-b' });
    expect(await introspect(tokens.refresh_token!)).toEqual({ active: false });
  });

  it('an expired access token is inactive at introspection', async () => {
    const t = await auth().userToken({ username: 'alice', password: 'secret-a' });
    clock.set(1000);
    expect(await introspect(t.access_token)).toEqual({ active: false });
  });
});

describe('client authentication at /introspect', () => {
  const { auth } = useAuthServer();
  confidentialClientTests(auth, [{ method: 'POST', path: '/introspect', form: { token: 'some-token' } }]);
});
