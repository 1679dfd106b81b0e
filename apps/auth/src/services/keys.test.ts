import { generateKeyPairSync } from 'node:crypto';
import { createKeyRing, KeyConfigError, parseSigningKeys, rotateConfiguredKeys } from './keys.js';

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
