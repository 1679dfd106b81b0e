import { createHmac, generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import { canonicalEs256, createJwksClient, createTokenVerifier } from '@mcp-langgraph/resource-server';
import { exchangeFields, useAuthServer } from '../testing/setup.js';

const MCP = 'http://localhost:4000/mcp';

const { auth, edge, post, token } = useAuthServer({ users: { alice: 'secret-a' }, consent: false });

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

function es256(header: object, payload: object, key: KeyObject): string {
  const input = `${b64(header)}.${b64(payload)}`;
  const sig = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  // Low-S, as the platform's signers write it: only then do the cases below fail for their own flaw.
  return canonicalEs256(`${input}.${sig.toString('base64url')}`);
}

async function claimsFor(over: Record<string, unknown> = {}) {
  const alice = await auth().context.users.findByUsername('alice');
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: auth().issuer,
    sub: alice!.id,
    aud: MCP,
    iat: now,
    nbf: now,
    exp: now + 300,
    jti: randomUUID(),
    client_id: 'some-client',
    scope: 'mcp:tools',
    sub_type: 'user',
    username: 'alice',
    ...over,
  };
}

const current = () => auth().context.keys.current();
const goodHeader = () => ({ alg: 'ES256', typ: 'at+jwt', kid: current().kid });

async function introspect(value: string) {
  const res = await post('/introspect', { token: value }, edge());
  expect(res.status).toBe(200);
  return res.body as { active: boolean } & Record<string, unknown>;
}

function verifier() {
  return createTokenVerifier({
    issuer: auth().issuer,
    audiences: [MCP],
    jwks: createJwksClient({ jwksUrl: auth().jwksUrl }),
  });
}

describe('forged and out-of-date access tokens are refused', () => {
  const cases: [string, () => Promise<string>][] = [
    [
      'alg none',
      async () => `${b64({ alg: 'none', typ: 'at+jwt', kid: current().kid })}.${b64(await claimsFor())}.`,
    ],
    [
      'HS256 signed with the public key',
      async () => {
        const pem = current().publicKey.export({ type: 'spki', format: 'pem' }).toString();
        const input = `${b64({ alg: 'HS256', typ: 'at+jwt', kid: current().kid })}.${b64(await claimsFor())}`;
        return `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
      },
    ],
    [
      'unknown kid',
      async () => {
        const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        return es256(
          { alg: 'ES256', typ: 'at+jwt', kid: 'not-a-published-key' },
          await claimsFor(),
          privateKey,
        );
      },
    ],
    [
      'signed by another key under a published kid',
      async () => {
        const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        return es256(goodHeader(), await claimsFor(), privateKey);
      },
    ],
    [
      'expired',
      async () => {
        const now = Math.floor(Date.now() / 1000);
        return es256(
          goodHeader(),
          await claimsFor({ iat: now - 1000, nbf: now - 1000, exp: now - 60 }),
          current().privateKey,
        );
      },
    ],
    [
      'not yet valid',
      async () =>
        es256(
          goodHeader(),
          await claimsFor({ nbf: Math.floor(Date.now() / 1000) + 600 }),
          current().privateKey,
        ),
    ],
    [
      'wrong issuer',
      async () => es256(goodHeader(), await claimsFor({ iss: 'https://evil.example' }), current().privateKey),
    ],
    [
      'not an access token (typ JWT)',
      async () => es256({ ...goodHeader(), typ: 'JWT' }, await claimsFor(), current().privateKey),
    ],
    [
      'tampered payload',
      async () => {
        const good = es256(goodHeader(), await claimsFor(), current().privateKey);
        const [h, , s] = good.split('.');
        return `${h}.${b64(await claimsFor({ scope: 'admin' }))}.${s}`;
      },
    ],
  ];

  it.each(cases)('%s: introspection says inactive', async (_name, make) => {
    expect(await introspect(await make())).toEqual({ active: false });
  });

  it.each(cases)('%s: the resource-server verifier refuses it', async (_name, make) => {
    await expect(verifier().verify(await make())).rejects.toThrow();
  });

  it.each(cases)('%s: token exchange refuses it', async (_name, make) => {
    const res = await token(exchangeFields(await make(), { resource: 'http://localhost:4002' }), edge());
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_grant' });
  });

  it('a well-formed token passes the same checks (so the cases above fail for their flaw)', async () => {
    const good = es256(goodHeader(), await claimsFor(), current().privateKey);
    expect((await introspect(good)).active).toBe(true);
    await expect(verifier().verify(good)).resolves.toMatchObject({ subType: 'user', audience: MCP });
  });

  it('wrong audience: the resource-server verifier refuses a token for another audience', async () => {
    const forged = es256(
      goodHeader(),
      await claimsFor({ aud: 'http://localhost:4002' }),
      current().privateKey,
    );
    await expect(verifier().verify(forged)).rejects.toThrow(/audience/);
  });
});
