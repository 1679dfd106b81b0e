import { createLogger, GATEWAY_SECRET_HEADER } from '@mcp-langgraph/observability';
import { basicAuthorization } from '@mcp-langgraph/protocol';
import { captureLines, postForm } from '@mcp-langgraph/testing';
import { generateStoredKey } from './services/keys.js';
import { startAuthServer, type TestAuthServer } from './testing.js';

const GATEWAY_OLD = 'auth-gateway-before-0123456789';
const GATEWAY_NEW = 'auth-gateway-after-9876543210';
const EDGE_OLD = 'edge-client-before-0123456789';
const EDGE_NEW = 'edge-client-after-9876543210';

/** A private JWK from a fresh key, with its kid. */
function newKey(): { kid: string; jwk: unknown } {
  const stored = generateStoredKey(Math.floor(Date.now() / 1000));
  return { kid: stored.kid, jwk: JSON.parse(stored.privateJwk) };
}
const keySet = (...keys: Array<{ jwk: unknown }>) => JSON.stringify({ keys: keys.map((k) => k.jwk) });
const kidOf = (jwt: string) =>
  (JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;

describe('secrets rotated while auth runs', () => {
  const logs = captureLines();
  const { lines } = logs;
  const k1 = newKey();
  const k2 = newKey();
  let auth: TestAuthServer;
  beforeAll(async () => {
    auth = await startAuthServer({
      env: { GATEWAY_SECRET: GATEWAY_OLD, EDGE_CLIENT_SECRET: EDGE_OLD, AUTH_SIGNING_KEYS: keySet(k1) },
      logger: createLogger({
        service: 'auth',
        destination: logs.stream,
      }),
    });
  });
  afterAll(() => auth.close());

  const clientToken = (secret: string, gateway = GATEWAY_NEW) =>
    postForm(
      `${auth.url}/token`,
      { grant_type: 'client_credentials', scope: 'mcp:tools' },
      { basic: { id: 'mcp-edge', secret }, headers: { [GATEWAY_SECRET_HEADER]: gateway } },
    );
  const jwks = async () =>
    ((await (await fetch(auth.jwksUrl)).json()) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid);

  it('GATEWAY_SECRET: the new value passes at once, the replaced one during the overlap, others never', async () => {
    const metadata = (secret: string) =>
      fetch(`${auth.url}/.well-known/oauth-authorization-server`, {
        headers: { [GATEWAY_SECRET_HEADER]: secret },
      });
    expect((await metadata(GATEWAY_NEW)).status).toBe(403);
    await auth.rotate({ GATEWAY_SECRET: GATEWAY_NEW });
    expect((await metadata(GATEWAY_NEW)).status).toBe(200);
    expect((await metadata(GATEWAY_OLD)).status).toBe(200);
    expect((await metadata('auth-gateway-someone-else-000')).status).toBe(403);
  });

  it('EDGE_CLIENT_SECRET: the edge authenticates with the new secret, and the stored hash follows', async () => {
    expect((await clientToken(EDGE_NEW)).status).toBe(401);
    await auth.rotate({ EDGE_CLIENT_SECRET: EDGE_NEW });
    expect((await clientToken(EDGE_NEW)).status).toBe(200);
    // An edge that has not seen the rotation yet keeps working for the overlap.
    expect((await clientToken(EDGE_OLD)).status).toBe(200);
    expect((await clientToken('edge-client-never-issued-000')).status).toBe(401);
    const stored = await auth.context.clients.get('mcp-edge');
    expect(await auth.context.passwords.verify(stored!.secretHash!, EDGE_NEW)).toBe(true);
  });

  it('AGENT_CLIENT_SECRET: the agent reads the revocation feed with the new secret', async () => {
    const feed = (secret: string) =>
      fetch(`${auth.url}/revocations`, { headers: { authorization: basicAuthorization('agent', secret) } });
    const rotated = 'agent-client-after-9876543210';
    expect((await feed(rotated)).status).toBe(401);
    await auth.rotate({ AGENT_CLIENT_SECRET: rotated });
    expect((await feed(rotated)).status).toBe(200);
  });

  it('AUTH_SIGNING_KEYS: publish, sign with and retire a key, with no restart at any step', async () => {
    const signed = (await clientToken(EDGE_NEW)).body.access_token as string;
    expect(kidOf(signed)).toBe(k1.kid);
    expect(await jwks()).toEqual([k1.kid]);

    await auth.rotate({ AUTH_SIGNING_KEYS: keySet(k1, k2) });
    expect(await jwks()).toEqual([k1.kid, k2.kid]);
    expect(kidOf((await clientToken(EDGE_NEW)).body.access_token)).toBe(k1.kid);

    await auth.rotate({ AUTH_SIGNING_KEYS: keySet(k2, k1) });
    const fresh = (await clientToken(EDGE_NEW)).body.access_token as string;
    expect(kidOf(fresh)).toBe(k2.kid);
    // A token the replaced key signed still verifies while that key is listed.
    expect(auth.context.tokens.verify(signed)).toMatchObject({ sub: 'mcp-edge' });

    await auth.rotate({ AUTH_SIGNING_KEYS: keySet(k2) });
    expect(await jwks()).toEqual([k2.kid]);
  });

  it('refuses a key set that does not parse, keeping the keys in use, and names what needs a restart', async () => {
    await auth.rotate({ AUTH_SIGNING_KEYS: '{"keys":[{"kty":"oct","k":"c2VjcmV0LXZhbHVlLTEyMzQ"}]}' });
    expect(await jwks()).toEqual([k2.kid]);
    expect(kidOf((await clientToken(EDGE_NEW)).body.access_token)).toBe(k2.kid);
    await auth.rotate({ DATABASE_URL: 'postgres://mcp:dev-db-password-123456@db:5432/mcp' });
    const log = lines.join('');
    expect(log).toMatch(
      /"secrets":\["AUTH_SIGNING_KEYS"\].*"rotated secret not applied; the previous value stays in use"/,
    );
    expect(log).toMatch(
      /"secrets":\["DATABASE_URL"\].*"DATABASE_URL changed; it takes effect at the next restart"/,
    );
    for (const name of ['GATEWAY_SECRET', 'EDGE_CLIENT_SECRET', 'AUTH_SIGNING_KEYS'])
      expect(log).toContain(`"secrets":["${name}"],"msg":"rotated secret applied without a restart"`);
    for (const value of [GATEWAY_OLD, GATEWAY_NEW, EDGE_OLD, EDGE_NEW, 'dev-db-password-123456', 'c2VjcmV0'])
      expect(log).not.toContain(value);
  });

  it('counts rotations in config_secret_rotations_total by secret and outcome', async () => {
    const text = await (
      await fetch(`${auth.url}/metrics`, { headers: { [GATEWAY_SECRET_HEADER]: GATEWAY_NEW } })
    ).text();
    const count = (secret: string, outcome: string) =>
      Number(
        new RegExp(
          `^config_secret_rotations_total\\{secret="${secret}",outcome="${outcome}"[^}]*\\} (\\d+)`,
          'm',
        ).exec(text)?.[1],
      );
    expect(count('GATEWAY_SECRET', 'applied')).toBe(1);
    expect(count('AUTH_SIGNING_KEYS', 'applied')).toBe(3);
    expect(count('AUTH_SIGNING_KEYS', 'refused')).toBe(1);
    expect(count('DATABASE_URL', 'restart_required')).toBe(1);
  });
});
