import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { createJwksClient } from './jwks.js';
import { startTestIssuer, type TestIssuer } from './testing.js';
import { createTokenVerifier } from './verifier.js';

const AUD = 'http://localhost:4000/mcp';

describe('access token verification', () => {
  let issuer: TestIssuer;
  let verifier: ReturnType<typeof createTokenVerifier>;
  beforeAll(async () => {
    issuer = await startTestIssuer({ audience: AUD });
    verifier = createTokenVerifier({
      issuer: issuer.issuer,
      audiences: [AUD],
      jwks: createJwksClient({ jwksUrl: issuer.jwksUrl }),
    });
  });
  afterAll(() => issuer.close());

  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

  it('accepts a well-formed token and exposes the subject', async () => {
    const v = await verifier.verify(issuer.sign({ sub: 'u-1', username: 'alice', act: { sub: 'mcp-edge' } }));
    expect(v.subject).toBe('user:u-1');
    expect(v.username).toBe('alice');
    expect(v.actor).toBe('mcp-edge');
    expect(v.scopes).toContain('mcp:tools');
  });

  it('rejects alg none', async () => {
    const payload = jwt.decode(issuer.sign()) as object;
    const token = `${b64({ alg: 'none', typ: 'at+jwt', kid: issuer.kid })}.${b64(payload)}.`;
    await expect(verifier.verify(token)).rejects.toThrow(/algorithm/);
  });

  it('rejects HS256 signed with the public key', async () => {
    const pem = issuer.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const payload = jwt.decode(issuer.sign()) as object;
    const header = b64({ alg: 'HS256', typ: 'at+jwt', kid: issuer.kid });
    const body = b64(payload);
    const { createHmac } = await import('node:crypto');
    const sig = createHmac('sha256', pem).update(`${header}.${body}`).digest('base64url');
    await expect(verifier.verify(`${header}.${body}.${sig}`)).rejects.toThrow(/algorithm/);
  });

  it('rejects a token signed by another key under the same kid', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const payload = jwt.decode(issuer.sign()) as object;
    const forged = jwt.sign(payload, privateKey, {
      algorithm: 'ES256',
      header: { alg: 'ES256', typ: 'at+jwt', kid: issuer.kid } as jwt.JwtHeader,
    });
    await expect(verifier.verify(forged)).rejects.toThrow(/signature/);
  });

  it('rejects an unknown kid', async () => {
    await expect(verifier.verify(issuer.sign({}, { kid: 'nope' }))).rejects.toThrow(/unknown key/);
  });

  it('rejects expired and not-yet-valid tokens', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expect(
      verifier.verify(issuer.sign({ exp: now - 60, iat: now - 120, nbf: now - 120 })),
    ).rejects.toThrow(/expired/);
    await expect(verifier.verify(issuer.sign({ nbf: now + 600, exp: now + 900 }))).rejects.toThrow(
      /not valid yet/,
    );
  });

  it('rejects the wrong issuer and the wrong audience', async () => {
    await expect(verifier.verify(issuer.sign({ iss: 'https://evil.example.com' }))).rejects.toThrow(/issuer/);
    await expect(verifier.verify(issuer.sign({ aud: 'http://localhost:4002' }))).rejects.toThrow(/audience/);
  });

  it('rejects tokens that are not RFC 9068 access tokens', async () => {
    await expect(verifier.verify(issuer.sign({}, { typ: 'JWT' }))).rejects.toThrow(/not an access token/);
    await expect(verifier.verify('not-a-jwt')).rejects.toThrow(/not a JWT/);
    await expect(verifier.verify(issuer.sign({ sub_type: undefined }))).rejects.toThrow(/subject type/);
  });

  it('honours revocation after a cached verification', async () => {
    const revoked = new Set<string>();
    const v2 = createTokenVerifier({
      issuer: issuer.issuer,
      audiences: [AUD],
      jwks: createJwksClient({ jwksUrl: issuer.jwksUrl }),
      isRevoked: (t) => revoked.has(t.jti),
    });
    const token = issuer.sign();
    const first = await v2.verify(token);
    revoked.add(first.jti);
    await expect(v2.verify(token)).rejects.toThrow(/revoked/);
  });
});
