import { generateKeyPairSync } from 'node:crypto';
import { authConfigSchema, parseConfig } from '@mcp-langgraph/config';
import { createMetrics } from '@mcp-langgraph/observability';
import { parseSeedUsers } from './seed.js';
import { type AuthServiceOverrides, createAuthService, settingsFrom } from './service.js';
import { createPasswordHasher } from './services/passwords.js';
import { openAuthStore } from './store/open.js';

const passwords = createPasswordHasher({ memoryCost: 4096, timeCost: 1 });

function config(env: Record<string, string> = {}) {
  return parseConfig(authConfigSchema, { APP_ENV: 'test', LOG_LEVEL: 'silent', ...env });
}

const start = (c: ReturnType<typeof config>, overrides: AuthServiceOverrides) =>
  createAuthService(c, {
    metrics: createMetrics('auth', { defaultMetrics: false }),
    passwords,
    ...overrides,
  });

describe('the auth service', () => {
  it('uses configured signing keys and never generates or stores one', async () => {
    const jwk = {
      ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }),
      kid: 'from-vault',
    };
    const c = config({ AUTH_SIGNING_KEYS: JSON.stringify({ keys: [jwk] }) });
    const database = await openAuthStore(c, { sqlitePath: ':memory:' });
    const service = await start(c, { database });
    try {
      expect(service.context.keys.jwks().keys.map((k) => k.kid)).toEqual(['from-vault']);
      const stored = await database.db.selectFrom('signing_keys').selectAll().execute();
      expect(stored).toHaveLength(0);
    } finally {
      await service.close();
      await database.close();
    }
  });

  it('generates a key on first start and keeps it across restarts; seeds users and the edge and agent clients idempotently', async () => {
    const c = config({ AUTH_SEED_USERS: 'alice:secret-a', EDGE_CLIENT_SECRET: 'a-long-enough-edge-secret' });
    const database = await openAuthStore(c, { sqlitePath: ':memory:' });
    const first = await start(c, { database });
    const kid = first.context.keys.current().kid;
    const alice = await first.context.users.findByUsername('alice');
    await first.close();
    const second = await start(c, { database });
    try {
      expect(second.context.keys.current().kid).toBe(kid);
      expect((await second.context.users.findByUsername('alice'))?.id).toBe(alice?.id);
      const edge = await second.context.clients.get('mcp-edge');
      expect(edge?.allowedAudiences).toEqual(['http://localhost:4002']);
      expect(await passwords.verify(edge!.secretHash!, 'a-long-enough-edge-secret')).toBe(true);
      const agent = await second.context.clients.get('agent');
      expect(agent).toMatchObject({ grantTypes: [], redirectUris: [], firstParty: true });
      expect((await second.context.clients.list()).map((c) => c.clientId).sort()).toEqual([
        'agent',
        'mcp-edge',
      ]);
    } finally {
      await second.close();
      await database.close();
    }
  });

  it('derives audiences from the edge URL and honours a configured default resource', () => {
    const s = settingsFrom(
      config({ EDGE_PUBLIC_URL: 'https://mcp.example/', AUTH_ISSUER: 'https://auth.example/' }),
    );
    expect(s.issuer).toBe('https://auth.example');
    expect(s.edgeAudiences).toEqual(['https://mcp.example/mcp', 'https://mcp.example']);
    expect(s.defaultResource).toBe('https://mcp.example/mcp');
    expect(settingsFrom(config({ AUTH_DEFAULT_RESOURCE: 'http://localhost:4000' })).defaultResource).toBe(
      'http://localhost:4000',
    );
  });

  it('parses seed users and refuses malformed entries', () => {
    expect(parseSeedUsers('alice:secret-a, bob:b:c')).toEqual([
      { username: 'alice', password: 'secret-a' },
      { username: 'bob', password: 'b:c' },
    ]);
    expect(() => parseSeedUsers('alice')).toThrow(/name:password/);
    expect(parseSeedUsers(undefined)).toEqual([]);
  });
});
