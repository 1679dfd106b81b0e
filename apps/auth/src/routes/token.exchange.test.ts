import jwt from 'jsonwebtoken';
import { exchangeFields, useAuthServer } from '../testing/setup.js';

const AGENT = 'http://localhost:4002';

describe('token exchange (RFC 8693)', () => {
  const { auth, edge, token, verifyWithJwks } = useAuthServer({
    users: { alice: 'secret-a', bob: 'secret-b' },
  });

  it('gives the edge an agent-audience token for the same user, with act and no longer life', async () => {
    const user = await auth().userToken({ username: 'alice', password: 'secret-a' });
    const res = await token(exchangeFields(user.access_token, { resource: AGENT }), edge());
    expect(res.status).toBe(200);
    const body = res.body as Record<string, unknown>;
    expect(body).toMatchObject({
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      token_type: 'Bearer',
      scope: user.scope,
    });
    const subject = jwt.decode(user.access_token) as jwt.JwtPayload;
    const { claims } = await verifyWithJwks(body.access_token as string, AGENT);
    expect(claims).toMatchObject({
      sub: subject.sub,
      sub_type: 'user',
      username: 'alice',
      aud: AGENT,
      client_id: 'mcp-edge',
      act: { sub: 'mcp-edge' },
    });
    expect(claims.exp!).toBeLessThanOrEqual(subject.exp!);
  });

  it('accepts client_secret_post and a narrower scope', async () => {
    const user = await auth().userToken({ username: 'bob', password: 'secret-b' });
    const res = await token(
      exchangeFields(user.access_token, {
        resource: AGENT,
        scope: 'conversations:read',
        client_id: edge().id,
        client_secret: edge().secret,
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ scope: 'conversations:read' });
  });

  it('refuses audiences the edge may not reach, wider scopes and public clients', async () => {
    const user = await auth().userToken({ username: 'bob', password: 'secret-b' });
    const base = exchangeFields(user.access_token);
    const other = await token({ ...base, resource: 'https://elsewhere.example' }, edge());
    expect(other.status).toBe(400);
    expect(other.body).toMatchObject({ error: 'invalid_target' });
    const wide = await token({ ...base, resource: AGENT, scope: 'admin' }, edge());
    expect(wide.status).toBe(400);
    expect(wide.body).toMatchObject({ error: 'invalid_scope' });
    const pub = await auth().registerClient();
    const asPublic = await token({ ...base, resource: AGENT, client_id: pub.clientId });
    expect(asPublic.status).toBe(400);
    expect(asPublic.body).toMatchObject({ error: 'unauthorized_client' });
    const garbage = await token({ ...base, subject_token: 'not-a-token', resource: AGENT }, edge());
    expect(garbage.status).toBe(400);
    expect(garbage.body).toMatchObject({ error: 'invalid_grant' });
  });
});
