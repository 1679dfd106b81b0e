import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { canonicalEs256, isLowS } from './access-token.js';
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
      revocation: (t) => (revoked.has(t.jti) ? 'revoked' : undefined),
    });
    const token = issuer.sign();
    const first = await v2.verify(token);
    revoked.add(first.jti);
    await expect(v2.verify(token)).rejects.toThrow(/revoked/);
  });
});

describe('signature malleability', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startTestIssuer({ audience: AUD });
  });
  afterAll(() => issuer.close());

  /** The high-S twin (r, n - s) of a token's signature: it verifies under plain ECDSA. */
  const twin = (token: string) => {
    const dot = token.lastIndexOf('.');
    const sig = Buffer.from(token.slice(dot + 1), 'base64url');
    const n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
    const s = n - BigInt(`0x${sig.subarray(32).toString('hex')}`);
    const high = Buffer.concat([sig.subarray(0, 32), Buffer.from(s.toString(16).padStart(64, '0'), 'hex')]);
    return `${token.slice(0, dot + 1)}${high.toString('base64url')}`;
  };

  it('refuses the high-S twin of a valid signature, which plain ECDSA accepts', async () => {
    const verifier = createTokenVerifier({
      issuer: issuer.issuer,
      audiences: [AUD],
      jwks: createJwksClient({ jwksUrl: issuer.jwksUrl }),
    });
    const token = issuer.sign();
    const high = twin(token);
    const [h, p, sig] = high.split('.') as [string, string, string];
    const { verify } = await import('node:crypto');
    expect(
      verify(
        'sha256',
        Buffer.from(`${h}.${p}`),
        { key: issuer.publicKey, dsaEncoding: 'ieee-p1363' },
        Buffer.from(sig, 'base64url'),
      ),
    ).toBe(true);
    await expect(verifier.verify(token)).resolves.toBeDefined();
    await expect(verifier.verify(high)).rejects.toMatchObject({ reason: 'bad_signature' });
  });

  it('canonicalEs256 turns any signature into its low-S form, and leaves a low one alone', () => {
    const token = issuer.sign();
    expect(isLowS(Buffer.from(token.split('.')[2]!, 'base64url'))).toBe(true);
    expect(canonicalEs256(twin(token))).toBe(token);
    expect(canonicalEs256(token)).toBe(token);
  });
});

describe('delegation', () => {
  let issuer: TestIssuer;
  let verifier: ReturnType<typeof createTokenVerifier>;
  beforeAll(async () => {
    issuer = await startTestIssuer({ audience: AUD });
    verifier = createTokenVerifier({
      issuer: issuer.issuer,
      audiences: [AUD],
      jwks: createJwksClient({ jwksUrl: issuer.jwksUrl }),
      allowedActors: ['mcp-edge'],
    });
  });
  afterAll(() => issuer.close());

  it('accepts only tokens exchanged by an allowed actor', async () => {
    const ok = await verifier.verify(
      issuer.sign({ act: { sub: 'mcp-edge' }, subject_jti: 'user-token-jti' }),
    );
    expect(ok.actor).toBe('mcp-edge');
    expect(ok.subjectJti).toBe('user-token-jti');
    await expect(verifier.verify(issuer.sign())).rejects.toMatchObject({ reason: 'actor_not_allowed' });
    await expect(verifier.verify(issuer.sign({ act: { sub: 'someone-else' } }))).rejects.toMatchObject({
      reason: 'actor_not_allowed',
    });
    await expect(
      verifier.verify(issuer.sign({ sub: 'mcp-edge', sub_type: 'client', client_id: 'mcp-edge' })),
    ).rejects.toMatchObject({ reason: 'actor_not_allowed' });
  });
});
