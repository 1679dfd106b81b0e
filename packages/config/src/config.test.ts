import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  agentConfigSchema,
  authConfigSchema,
  authServerEndpoints,
  ConfigError,
  createEnvSecretProvider,
  createSecretChain,
  edgeConfigSchema,
  loadServiceConfig,
  parseConfig,
  readEnvironment,
  resolveSecrets,
} from './index.js';

describe('config', () => {
  it('gives a laptop the embedded defaults', () => {
    const c = parseConfig(edgeConfigSchema, {});
    expect(c.EDGE_PORT).toBe(4000);
    expect(c.CORS_ORIGINS).toEqual([]);
    expect(c.DATABASE_URL).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('lets the environment override .env', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, '.env');
    writeFileSync(file, 'AUTH_PORT=5001\nAUTH_SEED_USERS=alice:a\n');
    const env = readEnvironment({ AUTH_PORT: '6001' }, file);
    const c = parseConfig(authConfigSchema, env);
    expect(c.AUTH_PORT).toBe(6001);
    expect(c.AUTH_SEED_USERS).toBe('alice:a');
  });

  it('names the variable when a value is malformed', () => {
    expect(() => parseConfig(authConfigSchema, { AUTH_PORT: 'abc' })).toThrow(/AUTH_PORT/);
    expect(() => parseConfig(authConfigSchema, { AUTH_ACCESS_TOKEN_TTL: '3600' })).toThrow(
      /AUTH_ACCESS_TOKEN_TTL/,
    );
  });

  it('refuses every embedded default in production, naming what to set', () => {
    let err: unknown;
    try {
      parseConfig(agentConfigSchema, { APP_ENV: 'production', CORS_ORIGINS: '*' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    for (const name of [
      'DATABASE_URL',
      'OPENFGA_API_URL',
      'LLM_PROVIDER',
      'CORS_ORIGINS',
      'AGENT_PUBLIC_URL',
    ])
      expect(msg).toContain(name);
  });

  it('refuses per-process rate limits at the edge in production', () => {
    expect(() => parseConfig(edgeConfigSchema, { APP_ENV: 'production' })).toThrow(/REDIS_URL/);
  });

  it('refuses seed users, default secrets and generated keys in production', () => {
    expect(() =>
      parseConfig(authConfigSchema, {
        APP_ENV: 'production',
        DATABASE_URL: 'postgres://db/x',
        AUTH_SEED_USERS: 'alice:secret',
        AUTH_ISSUER: 'https://auth.example.com',
        EDGE_PUBLIC_URL: 'https://mcp.example.com',
        AGENT_PUBLIC_URL: 'https://agent.internal',
      }),
    ).toThrow(
      /AUTH_SEED_USERS[\s\S]*AUTH_SIGNING_KEYS|EDGE_CLIENT_SECRET[\s\S]*AUTH_SIGNING_KEYS[\s\S]*AUTH_SEED_USERS/,
    );
    const ok = parseConfig(authConfigSchema, {
      APP_ENV: 'production',
      DATABASE_URL: 'postgres://db/x',
      AUTH_SIGNING_KEYS: '[]',
      EDGE_CLIENT_SECRET: 'a-long-generated-secret-value',
      AGENT_CLIENT_SECRET: 'another-long-generated-secret',
      GATEWAY_SECRET: 'a-generated-gateway-secret',
      OPS_PORT: '9464',
      AUTH_ISSUER: 'https://auth.example.com',
      EDGE_PUBLIC_URL: 'https://mcp.example.com',
      AGENT_PUBLIC_URL: 'https://agent.internal',
    });
    expect(ok.APP_ENV).toBe('production');
    expect(ok.OPS_PORT).toBe(9464);
  });

  it('resolves secrets through the provider chain, first provider first', async () => {
    const vault = {
      name: 'vault',
      get: async (n: string) => (n === 'EDGE_CLIENT_SECRET' ? 'from-vault-xxxxxxxx' : undefined),
    };
    const env = { EDGE_CLIENT_SECRET: 'from-env-xxxxxxxxxx', DATABASE_URL: 'postgres://x' };
    const chain = createSecretChain([vault, createEnvSecretProvider(env)]);
    const resolved = await resolveSecrets(env, chain, ['EDGE_CLIENT_SECRET', 'DATABASE_URL']);
    expect(resolved.EDGE_CLIENT_SECRET).toBe('from-vault-xxxxxxxx');
    expect(resolved.DATABASE_URL).toBe('postgres://x');
  });

  it('loads a service configuration with secrets from the first provider that has them', async () => {
    const vault = {
      name: 'vault',
      get: async (n: string) => (n === 'EDGE_CLIENT_SECRET' ? 'vault-secret-0123456789' : undefined),
    };
    const c = await loadServiceConfig(
      edgeConfigSchema,
      { EDGE_PORT: '4100', EDGE_CLIENT_SECRET: 'env-secret-0123456789' },
      { envFile: undefined, providers: [vault] },
    );
    expect(c.EDGE_PORT).toBe(4100);
    expect(c.EDGE_CLIENT_SECRET).toBe('vault-secret-0123456789');
    await expect(
      loadServiceConfig(edgeConfigSchema, { EDGE_PORT: 'x' }, { envFile: undefined }),
    ).rejects.toThrow(/EDGE_PORT/);
  });
});

describe('public URLs', () => {
  it('are normalised once, so a trailing slash names the same service everywhere', () => {
    const env = {
      AUTH_ISSUER: 'https://auth.example.com/',
      EDGE_PUBLIC_URL: 'https://edge.example.com/',
      AGENT_PUBLIC_URL: 'https://agent.example.com//',
      AUTH_INTERNAL_URL: 'http://auth.internal:4001/',
    };
    const auth = parseConfig(authConfigSchema, env);
    const edge = parseConfig(edgeConfigSchema, env);
    const agent = parseConfig(agentConfigSchema, env);
    for (const c of [auth, edge, agent]) expect(c.AUTH_ISSUER).toBe('https://auth.example.com');
    expect(auth.EDGE_PUBLIC_URL).toBe('https://edge.example.com');
    expect(edge.EDGE_PUBLIC_URL).toBe('https://edge.example.com');
    expect(auth.AGENT_PUBLIC_URL).toBe('https://agent.example.com');
    expect(edge.AGENT_PUBLIC_URL).toBe('https://agent.example.com');
    expect(agent.AGENT_PUBLIC_URL).toBe('https://agent.example.com');
    expect(authServerEndpoints(edge)).toEqual({
      base: 'http://auth.internal:4001',
      token: 'http://auth.internal:4001/token',
      revocations: 'http://auth.internal:4001/revocations',
      jwks: 'http://auth.internal:4001/.well-known/jwks.json',
    });
  });
});

describe('HTTP and token settings', () => {
  it('trusts no proxy unless told, and reads hops, addresses and booleans', () => {
    expect(parseConfig(edgeConfigSchema, {}).TRUST_PROXY).toBe(false);
    expect(parseConfig(edgeConfigSchema, { TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(parseConfig(edgeConfigSchema, { TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(parseConfig(edgeConfigSchema, { TRUST_PROXY: '10.0.0.0/8' }).TRUST_PROXY).toBe('10.0.0.0/8');
  });

  it('has one clock leeway, server timeouts well below Node’s, and an optional ops port', () => {
    for (const schema of [authConfigSchema, agentConfigSchema, edgeConfigSchema]) {
      const c = parseConfig(schema, {});
      expect(c.AUTH_CLOCK_TOLERANCE_SECONDS).toBe(5);
      expect(c.HTTP_REQUEST_TIMEOUT_MS).toBeLessThan(300_000);
      expect(c.HTTP_HEADERS_TIMEOUT_MS).toBeLessThan(60_000);
      expect(c.OPS_PORT).toBeUndefined();
    }
    expect(() => parseConfig(agentConfigSchema, { OPS_PORT: 'x' })).toThrow(/OPS_PORT/);
    expect(() => parseConfig(agentConfigSchema, { AUTH_CLOCK_TOLERANCE_SECONDS: '3600' })).toThrow(
      /AUTH_CLOCK_TOLERANCE_SECONDS/,
    );
  });

  it('lets the agent accept exchanged tokens from the edge only, by default', () => {
    const c = parseConfig(agentConfigSchema, {});
    expect(c.AGENT_ALLOWED_ACTORS).toEqual(['mcp-edge']);
    expect(
      parseConfig(agentConfigSchema, { AGENT_ALLOWED_ACTORS: 'mcp-edge, batch' }).AGENT_ALLOWED_ACTORS,
    ).toEqual(['mcp-edge', 'batch']);
  });
});
