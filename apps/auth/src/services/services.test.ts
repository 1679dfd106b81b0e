import { generateKeyPairSync } from 'node:crypto';
import { formatScope, parseScope } from '@mcp-langgraph/protocol';
import { bindingOf, createFormSigner } from './forms.js';
import { createKeyRing, KeyConfigError, parseSigningKeys, rotateConfiguredKeys } from './keys.js';
import { isAcceptableRedirectUri, withParams } from './redirect-uris.js';
import { createTokenService, InvalidTokenError } from './tokens.js';

describe('scopes', () => {
  it('keeps known scopes, drops OpenID habits and reports unknown names', () => {
    expect(parseScope('mcp:tools openid offline_access mcp:tools admin')).toEqual({
      scopes: ['mcp:tools', 'admin'],
      unknown: [],
    });
    expect(parseScope('mcp:tools root').unknown).toEqual(['root']);
    expect(formatScope(['conversations:write', 'mcp:tools'])).toBe('mcp:tools conversations:write');
  });
});

describe('redirect URIs', () => {
  it.each([
    ['https://app.example/cb', true],
    ['http://127.0.0.1:1234/cb', true],
    ['http://localhost/cb', true],
    ['http://[::1]:8080/cb', true],
    ['http://app.example/cb', false],
    ['http://127.0.0.1.evil.example/cb', false],
    ['https://user:pw@app.example/cb', false],
    ['https://app.example/cb#frag', false],
    ['ftp://app.example/cb', false],
    ['/relative', false],
  ])('%s → %s', (uri, ok) => {
    expect(isAcceptableRedirectUri(uri)).toBe(ok);
  });

  it('adds response parameters to an existing query', () => {
    expect(withParams('https://a.example/cb?x=1', { code: 'c d', state: undefined })).toBe(
      'https://a.example/cb?x=1&code=c+d',
    );
  });
});

describe('form tokens', () => {
  let t = 1000;
  const signer = createFormSigner(Buffer.alloc(32, 7), () => t);
  const binding = bindingOf(['client', 'https://a.example/cb', 'state']);

  it('accept the purpose and request they were made for, until they expire', () => {
    const token = signer.sign('login', binding, 60);
    expect(signer.verify('login', binding, token)).toBe(true);
    expect(signer.verify('consent', binding, token)).toBe(false);
    expect(signer.verify('login', bindingOf(['client', 'https://evil.example/cb', 'state']), token)).toBe(
      false,
    );
    expect(createFormSigner(Buffer.alloc(32, 8), () => t).verify('login', binding, token)).toBe(false);
    t += 61;
    expect(signer.verify('login', binding, token)).toBe(false);
  });

  it('refuse malformed values', () => {
    for (const v of [undefined, 42, '', 'a.b', 'a.b.c.d', 'x'.repeat(500), ['a']])
      expect(signer.verify('login', binding, v)).toBe(false);
  });
});

describe('signing keys', () => {
  const jwk = () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    return privateKey.export({ format: 'jwk' });
  };

  it('reads configured keys: the first signs, all are published, none generated', async () => {
    const a = { ...jwk(), kid: 'a' };
    const b = { ...jwk(), kid: 'b' };
    const ring = await createKeyRing({
      configured: JSON.stringify({ keys: [a, b] }),
      accessTokenTtl: 900,
      now: () => 1000,
    });
    expect(ring.current().kid).toBe('a');
    expect(ring.jwks().keys.map((k) => k.kid)).toEqual(['a', 'b']);
    for (const k of ring.jwks().keys) expect((k as Record<string, unknown>).d).toBeUndefined();
  });

  it('refuses configured keys that are not private P-256 keys', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    expect(() => parseSigningKeys('not json', 0)).toThrow(KeyConfigError);
    expect(() => parseSigningKeys('{"keys":[]}', 0)).toThrow(KeyConfigError);
    expect(() => parseSigningKeys(JSON.stringify([privateKey.export({ format: 'jwk' })]), 0)).toThrow(
      KeyConfigError,
    );
    const pub = { ...jwk(), d: undefined };
    expect(() => parseSigningKeys(JSON.stringify([pub]), 0)).toThrow(KeyConfigError);
  });

  it('a rotated configured value puts a fresh key first and keeps the previous one', () => {
    const first = JSON.stringify({ keys: [{ ...jwk(), kid: 'old' }] });
    const next = parseSigningKeys(rotateConfiguredKeys(first, 0), 0);
    expect(next).toHaveLength(2);
    expect(next[0]!.kid).not.toBe('old');
    expect(next[1]!.kid).toBe('old');
  });

  it('does not start without keys or a store', async () => {
    await expect(createKeyRing({ accessTokenTtl: 900, now: () => 0 })).rejects.toThrow(KeyConfigError);
  });
});

describe('token service', () => {
  it('issues tokens no longer than the ttl nor the subject limit, and verifies its own', async () => {
    let now = 10_000;
    const keys = await createKeyRing({
      configured: JSON.stringify([
        {
          ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }),
          kid: 'k',
        },
      ]),
      accessTokenTtl: 900,
      now: () => now,
    });
    const tokens = createTokenService({
      keys,
      issuer: 'https://auth.example',
      accessTokenTtl: 600,
      now: () => now,
    });
    const base = {
      sub: 'u',
      subType: 'user' as const,
      audience: 'https://mcp.example/mcp',
      clientId: 'c',
      scope: 'mcp:tools',
      tier: 'free' as const,
    };
    expect(tokens.issue(base).expiresIn).toBe(600);
    const capped = tokens.issue({ ...base, notAfter: now + 100 });
    expect(capped.expiresIn).toBe(100);
    expect(tokens.verify(capped.token)).toMatchObject({ sub: 'u', aud: 'https://mcp.example/mcp' });
    now += 200;
    expect(() => tokens.verify(capped.token)).toThrow(InvalidTokenError);
    expect(tokens.verify(capped.token, { ignoreExpiration: true }).jti).toBe(capped.jti);
  });
});
