import { ConfigError, parseConfig } from './load.js';
import { agentConfigSchema, authConfigSchema, edgeConfigSchema, SECRET_NAMES } from './schema.js';

/** Everything else production asks of each service, so only the gateway secret is missing. */
const AUTH = {
  APP_ENV: 'production',
  DATABASE_URL: 'postgres://db/x',
  AUTH_SIGNING_KEYS: '[]',
  EDGE_CLIENT_SECRET: 'a-long-generated-secret-value',
  AGENT_CLIENT_SECRET: 'another-long-generated-secret',
  OPS_PORT: '9464',
  AUTH_ISSUER: 'https://auth.example.com',
  EDGE_PUBLIC_URL: 'https://mcp.example.com',
  AGENT_PUBLIC_URL: 'https://agent.internal',
};
const EDGE = {
  APP_ENV: 'production',
  EDGE_CLIENT_SECRET: 'a-long-generated-secret-value',
  OPS_PORT: '9464',
  DATABASE_URL: 'postgres://db/x',
  REDIS_URL: 'redis://redis:6379',
  OPENFGA_API_URL: 'http://openfga:8080',
  OPENFGA_STORE_ID: '01HXYZ',
  AUTH_ISSUER: 'https://auth.example.com',
  EDGE_PUBLIC_URL: 'https://mcp.example.com',
  AGENT_PUBLIC_URL: 'https://agent.internal',
};

function problems(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('GATEWAY_SECRET', () => {
  it('is required in production by the auth service and the edge, and names itself', () => {
    for (const [schema, env] of [
      [authConfigSchema, AUTH],
      [edgeConfigSchema, EDGE],
    ] as const) {
      expect(problems(() => parseConfig(schema, env))).toEqual([
        expect.stringMatching(/^GATEWAY_SECRET must be set in production/),
      ]);
      expect(
        parseConfig(schema, { ...env, GATEWAY_SECRET: 'a-generated-gateway-secret' }).GATEWAY_SECRET,
      ).toBe('a-generated-gateway-secret');
    }
  });

  it('refuses a short secret, and an empty one counts as unset', () => {
    expect(problems(() => parseConfig(authConfigSchema, { GATEWAY_SECRET: 'short' }))).toEqual([
      expect.stringMatching(/^GATEWAY_SECRET:/),
    ]);
    expect(parseConfig(authConfigSchema, { GATEWAY_SECRET: '' }).GATEWAY_SECRET).toBeUndefined();
  });

  it('is optional outside production, read through the secret providers, and not the agent’s', () => {
    expect(parseConfig(edgeConfigSchema, {}).GATEWAY_SECRET).toBeUndefined();
    expect(SECRET_NAMES).toContain('GATEWAY_SECRET');
    expect(Object.keys(agentConfigSchema.shape)).not.toContain('GATEWAY_SECRET');
  });
});
