import { generateKeyPairSync } from 'node:crypto';
import { authConfigSchema, parseConfig } from '@mcp-langgraph/config';
import { createLogger, createMetrics } from '@mcp-langgraph/observability';
import { createAuthRuntime, openAuthStore, parseSeedUsers, settingsFrom } from './runtime.js';
import { createPasswordHasher } from './services/passwords.js';

const logger = createLogger({ service: 'auth', level: 'silent' });
const passwords = createPasswordHasher({ memoryCost: 4096, timeCost: 1 });

function config(env: Record<string, string> = {}) {
  return parseConfig(authConfigSchema, { APP_ENV: 'test', ...env });
}

describe('runtime', () => {
  it('uses configured signing keys and never generates or stores one', async () => {
    const jwk = {
      ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }),
      kid: 'from-vault',
    };
    const c = config({ AUTH_SIGNING_KEYS: JSON.stringify({ keys: [jwk] }) });
    const database = await openAuthStore(c, { sqlitePath: ':memory:' });
    const runtime = await createAuthRuntime({
      config: c,
      logger,
      registry: createMetrics('auth', { defaultMetrics: false }).registry,
      database,
      passwords,
    });
    try {
      expect(runtime.keys.jwks().keys.map((k) => k.kid)).toEqual(['from-vault']);
      const stored = await database.db.selectFrom('signing_keys').selectAll().execute();
      expect(stored).toHaveLength(0);
    } finally {
      await runtime.close();
      await database.close();
    }
  });

  it('generates a key on first start and keeps it across restarts; seeds users and the edge client idempotently', async () => {
    const c = config({ AUTH_SEED_USERS: 'alice:secret-a', EDGE_CLIENT_SECRET: 'a-long-enough-edge-secret' });
    const database = await openAuthStore(c, { sqlitePath: ':memory:' });
    const start = () =>
      createAuthRuntime({
        config: c,
        logger,
        registry: createMetrics('auth', { defaultMetrics: false }).registry,
        database,
        passwords,
      });
    const first = await start();
    const kid = first.keys.current().kid;
    const alice = await first.context.users.findByUsername('alice');
    await first.close();
    const second = await start();
    try {
      expect(second.keys.current().kid).toBe(kid);
      expect((await second.context.users.findByUsername('alice'))?.id).toBe(alice?.id);
      const edge = await second.context.clients.get('mcp-edge');
      expect(edge?.allowedAudiences).toEqual(['http://localhost:4002']);
      expect(await passwords.verify(edge!.secretHash!, 'a-long-enough-edge-secret')).toBe(true);
      expect(await second.context.clients.list()).toHaveLength(1);
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
