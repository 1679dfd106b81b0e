import { generateKeyPairSync } from 'node:crypto';
import { createKeyRing } from './keys.js';
import { createTokenService, InvalidTokenError } from './tokens.js';

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
