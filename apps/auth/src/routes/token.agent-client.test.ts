import { DEV_AGENT_CLIENT_SECRET } from '@mcp-langgraph/config';
import { GRANT_TYPE } from '@mcp-langgraph/protocol';
import { createRevocationFeed } from '@mcp-langgraph/resource-server';
import jwt from 'jsonwebtoken';
import { exchangeFields, useAuthServer } from '../testing/setup.js';

const AGENT = 'http://localhost:4002';

/**
 * The agent is a confidential client only so it can read the revocation feed: it must never
 * obtain a token of its own, whatever grant it asks for.
 */
describe('the agent client', () => {
  const { auth, edge, token } = useAuthServer({ users: { alice: 'secret-a' } });
  const agent = () => ({ id: 'agent', secret: DEV_AGENT_CLIENT_SECRET });

  it('is registered first party, confidential, with no grant types and no redirect URIs', async () => {
    const client = await auth().context.clients.get('agent');
    expect(client).toMatchObject({
      authMethod: 'client_secret_basic',
      grantTypes: [],
      redirectUris: [],
      firstParty: true,
    });
    expect(client?.secretHash).toBeTruthy();
  });

  it('reads the revocation feed with its own credentials', async () => {
    const feed = createRevocationFeed({
      url: `${auth().url}/revocations`,
      clientId: agent().id,
      clientSecret: agent().secret,
    });
    await expect(feed.refresh()).resolves.not.toThrow();
    expect(feed.lastSuccessAt()).toBeGreaterThan(0);
  });

  it('cannot use client credentials, token exchange or any other grant', async () => {
    const user = await auth().userToken({ username: 'alice', password: 'secret-a' });
    const attempts: Record<string, string>[] = [
      { grant_type: GRANT_TYPE.clientCredentials },
      { grant_type: GRANT_TYPE.clientCredentials, resource: AGENT },
      exchangeFields(user.access_token, { resource: AGENT }),
      { grant_type: GRANT_TYPE.refreshToken, refresh_token: user.refresh_token ?? 'x' },
      {
        grant_type: GRANT_TYPE.authorizationCode,
        code: 'x',
        redirect_uri: 'http://127.0.0.1/cb',
        code_verifier: 'v'.repeat(43),
      },
    ];
    for (const fields of attempts) {
      const res = await token(fields, agent());
      expect({ grant: fields.grant_type, status: res.status, body: res.body }).toMatchObject({
        status: 400,
        body: { error: 'unauthorized_client' },
      });
    }
  });

  it('an exchanged token names the token it came from in subject_jti', async () => {
    const user = await auth().userToken({ username: 'alice', password: 'secret-a' });
    const res = await token(exchangeFields(user.access_token, { resource: AGENT }), edge());
    expect(res.status).toBe(200);
    const subject = jwt.decode(user.access_token) as jwt.JwtPayload;
    const exchanged = jwt.decode(res.body.access_token) as jwt.JwtPayload;
    expect(subject.jti).toBeTruthy();
    expect(exchanged.subject_jti).toBe(subject.jti);
    expect(exchanged.jti).not.toBe(subject.jti);
  });
});
