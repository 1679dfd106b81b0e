import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { canonicalEs256, isLowS } from './access-token.js';
import { createJwksClient } from './jwks.js';
import { startTestIssuer, type TestIssuer } from './testing.js';
import { createTokenVerifier } from './verifier.js';

const AUD = 'http://localhost:4000/mcp';

/** A test issuer and a verifier for it, started before the suite's tests. */
function useVerifier(options: Partial<Parameters<typeof createTokenVerifier>[0]> = {}) {
  const state = {} as { issuer: TestIssuer; verifier: ReturnType<typeof createTokenVerifier> };
  beforeAll(async () => {
    state.issuer = await startTestIssuer({ audience: AUD });
    state.verifier = createTokenVerifier({
      issuer: state.issuer.issuer,
      audiences: [AUD],
      jwks: createJwksClient({ jwksUrl: state.issuer.jwksUrl }),
      ...options,
    });
  });
  afterAll(() => state.issuer.close());
  return state;
}

describe('access token verification', () => {
  const t = useVerifier();

  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

  it('accepts a well-formed token and exposes the subject', async () => {
    const v = await t.verifier.verify(
      t.issuer.sign({ sub: 'u-1', username: 'alice', act: { sub: 'mcp-edge' } }),
    );
    expect(v.subject).toBe('user:u-1');
    expect(v.username).toBe('alice');
    expect(v.actor).toBe('mcp-edge');
    expect(v.scopes).toContain('mcp:tools');
  });

  it('rejects alg none', async () => {
    const payload = jwt.decode(t.issuer.sign()) as object;
    const token = `${b64({ alg: 'none', typ: 'at+jwt', kid: t.issuer.kid })}.${b64(payload)}.`;
    await expect(t.verifier.verify(token)).rejects.toThrow(/algorithm/);
  });

  it('rejects HS256 signed with the public key', async () => {
    const pem = t.issuer.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const payload = jwt.decode(t.issuer.sign()) as object;
    const header = b64({ alg: 'HS256', typ: 'at+jwt', kid: t.issuer.kid });
    const body = b64(payload);
    const { createHmac } = await import('node:crypto');
    const sig = createHmac('sha256', pem).update(`${header}.${body}`).digest('base64url');
    await expect(t.verifier.verify(`${header}.${body}.${sig}`)).rejects.toThrow(/algorithm/);
  });

  it('rejects a token signed by another key under the same kid', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const payload = jwt.decode(t.issuer.sign()) as object;
    const forged = jwt.sign(payload, privateKey, {
      algorithm: 'ES256',
      header: { alg: 'ES256', typ: 'at+jwt', kid: t.issuer.kid } as jwt.JwtHeader,
    });
    await expect(t.verifier.verify(forged)).rejects.toThrow(/signature/);
  });

  it('rejects an unknown kid', async () => {
    await expect(t.verifier.verify(t.issuer.sign({}, { kid: 'nope' }))).rejects.toThrow(/unknown key/);
  });

  it('rejects expired and not-yet-valid tokens', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expect(
      t.verifier.verify(t.issuer.sign({ exp: now - 60, iat: now - 120, nbf: now - 120 })),
    ).rejects.toThrow(/expired/);
    await expect(t.verifier.verify(t.issuer.sign({ nbf: now + 600, exp: now + 900 }))).rejects.toThrow(
      /not valid yet/,
    );
  });

  it('rejects the wrong issuer and the wrong audience', async () => {
    await expect(t.verifier.verify(t.issuer.sign({ iss: 'https://evil.example.com' }))).rejects.toThrow(
      /issuer/,
    );
    await expect(t.verifier.verify(t.issuer.sign({ aud: 'http://localhost:4002' }))).rejects.toThrow(
      /audience/,
    );
  });

  it('rejects tokens that are not RFC 9068 access tokens', async () => {
    await expect(t.verifier.verify(t.issuer.sign({}, { typ: 'JWT' }))).rejects.toThrow(/not an access token/);
    await expect(t.verifier.verify('not-a-jwt')).rejects.toThrow(/not a JWT/);
    await expect(t.verifier.verify(t.issuer.sign({ sub_type: undefined }))).rejects.toThrow(/subject type/);
  });

  it('honours revocation after a cached verification', async () => {
    const revoked = new Set<string>();
    const v2 = createTokenVerifier({
      issuer: t.issuer.issuer,
      audiences: [AUD],
      jwks: createJwksClient({ jwksUrl: t.issuer.jwksUrl }),
      revocation: (t) => (revoked.has(t.jti) ? 'revoked' : undefined),
    });
    const token = t.issuer.sign();
    const first = await v2.verify(token);
    revoked.add(first.jti);
    await expect(v2.verify(token)).rejects.toThrow(/revoked/);
  });
});

describe('signature malleability', () => {
  const t = useVerifier();

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
    const token = t.issuer.sign();
    const high = twin(token);
    const [h, p, sig] = high.split('.') as [string, string, string];
    const { verify } = await import('node:crypto');
    expect(
      verify(
        'sha256',
        Buffer.from(`${h}.${p}`),
        { key: t.issuer.publicKey, dsaEncoding: 'ieee-p1363' },
        Buffer.from(sig, 'base64url'),
      ),
    ).toBe(true);
    await expect(t.verifier.verify(token)).resolves.toBeDefined();
    await expect(t.verifier.verify(high)).rejects.toMatchObject({ reason: 'bad_signature' });
  });

  it('canonicalEs256 turns any signature into its low-S form, and leaves a low one alone', () => {
    const token = t.issuer.sign();
    expect(isLowS(Buffer.from(token.split('.')[2]!, 'base64url'))).toBe(true);
    expect(canonicalEs256(twin(token))).toBe(token);
    expect(canonicalEs256(token)).toBe(token);
  });
});

describe('delegation', () => {
  const t = useVerifier({ allowedActors: ['mcp-edge'] });

  it('accepts only tokens exchanged by an allowed actor', async () => {
    const ok = await t.verifier.verify(
      t.issuer.sign({ act: { sub: 'mcp-edge' }, subject_jti: 'user-token-jti' }),
    );
    expect(ok.actor).toBe('mcp-edge');
    expect(ok.subjectJti).toBe('user-token-jti');
    await expect(t.verifier.verify(t.issuer.sign())).rejects.toMatchObject({ reason: 'actor_not_allowed' });
    await expect(t.verifier.verify(t.issuer.sign({ act: { sub: 'someone-else' } }))).rejects.toMatchObject({
      reason: 'actor_not_allowed',
    });
    await expect(
      t.verifier.verify(t.issuer.sign({ sub: 'mcp-edge', sub_type: 'client', client_id: 'mcp-edge' })),
    ).rejects.toMatchObject({ reason: 'actor_not_allowed' });
  });
});
