import { createJwksClient, createRevocationFeed, createTokenVerifier } from '@mcp-langgraph/resource-server';
import { basicAuth } from '@mcp-langgraph/testing';
import { clientIdOf, confidentialClientTests, useAuthServer } from '../testing/setup.js';

const { auth, post } = useAuthServer({ users: { alice: 'secret-a', bob: 'secret-b' }, consent: false });

const feedFor = (clientId: string, clientSecret: string) =>
  createRevocationFeed({ url: `${auth().url}/revocations`, clientId, clientSecret });

describe('revocation feed', () => {
  it('is refused to callers that are not confidential clients', async () => {
    const anonymous = await fetch(`${auth().url}/revocations`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: string }).error).toBe('invalid_client');
    const wrongSecret = await fetch(`${auth().url}/revocations`, {
      headers: { authorization: basicAuth(auth().edgeClient.clientId, 'nope') },
    });
    expect(wrongSecret.status).toBe(401);
    await expect(feedFor(auth().edgeClient.clientId, 'not-the-secret').refresh()).rejects.toThrow(/401/);
  });

  it('carries revoked access tokens and disabled users to a resource server', async () => {
    const verifier = (feed: ReturnType<typeof feedFor>) =>
      createTokenVerifier({
        issuer: auth().issuer,
        audiences: [`${auth().context.settings.edgeAudiences[0]}`],
        jwks: createJwksClient({ jwksUrl: auth().jwksUrl }),
        revocation: feed.verdict,
      });
    const feed = feedFor(auth().edgeClient.clientId, auth().edgeClient.clientSecret);
    const v = verifier(feed);
    const alice = await auth().userToken({ username: 'alice', password: 'secret-a' });
    const bob = await auth().userToken({ username: 'bob', password: 'secret-b' });
    await feed.refresh();
    expect((await v.verify(alice.access_token)).username).toBe('alice');
    expect((await v.verify(bob.access_token)).username).toBe('bob');

    const revoked = await post('/revoke', {
      token: alice.access_token,
      client_id: clientIdOf(alice.access_token),
    });
    expect(revoked.status).toBe(200);
    await auth().context.users.setDisabled('bob', true);

    // Until the next fetch the cached verifications stand; after it both are refused.
    await feed.refresh();
    await expect(v.verify(alice.access_token)).rejects.toThrow(/revoked/);
    await expect(v.verify(bob.access_token)).rejects.toThrow(/revoked/);

    await auth().context.users.setDisabled('bob', false);
    await feed.refresh();
    expect((await v.verify(bob.access_token)).username).toBe('bob');
  });
});

describe('client authentication at /revocations', () => {
  confidentialClientTests(auth, [{ method: 'GET', path: '/revocations' }]);
});
