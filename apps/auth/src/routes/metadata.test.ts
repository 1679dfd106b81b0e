import { useAuthServer } from '../testing/setup.js';

const { auth } = useAuthServer({ users: { alice: 'secret-a', bob: 'secret-b' } });

async function jwks() {
  const res = await fetch(auth().jwksUrl);
  return (await res.json()) as { keys: (Record<string, string> & { kid: string })[] };
}

describe('metadata', () => {
  it('publishes RFC 8414 metadata and the same document as OpenID discovery', async () => {
    const url = auth().url;
    const res = await fetch(`${url}/.well-known/oauth-authorization-server`);
    expect(res.status).toBe(200);
    const m = (await res.json()) as Record<string, unknown>;
    expect(m).toMatchObject({
      issuer: url,
      authorization_endpoint: `${url}/authorize`,
      token_endpoint: `${url}/token`,
      registration_endpoint: `${url}/register`,
      jwks_uri: `${url}/.well-known/jwks.json`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
      authorization_response_iss_parameter_supported: true,
    });
    expect(m.scopes_supported).toEqual(['mcp:tools', 'conversations:read', 'conversations:write', 'admin']);
    expect(m.grant_types_supported).toEqual(
      expect.arrayContaining([
        'authorization_code',
        'refresh_token',
        'client_credentials',
        'urn:ietf:params:oauth:grant-type:token-exchange',
      ]),
    );
    const oidc = await (await fetch(`${url}/.well-known/openid-configuration`)).json();
    expect(oidc).toEqual(m);
  });

  it('publishes ES256 P-256 keys with a kid', async () => {
    const { keys } = await jwks();
    expect(keys.length).toBeGreaterThanOrEqual(1);
    for (const k of keys) {
      expect(k).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(typeof k.kid).toBe('string');
      expect(k.d).toBeUndefined();
    }
  });
});
