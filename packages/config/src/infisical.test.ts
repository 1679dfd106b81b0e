import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ConfigError, edgeConfigSchema, loadLiveServiceConfig, loadServiceConfig } from './index.js';
import { type FakeInfisical, startFakeInfisical } from './infisical.fake.js';
import { createInfisicalProvider, type SecretsLogger } from './infisical.js';

const CLIENT_SECRET = 'ua-client-secret-7f3c9a1e5b2d4086';
const ROTATED = 'rotated-edge-secret-3b8e1f0c7d2a';
const STARTING = 'infisical-edge-secret-9d2c4e6f8a1b';
const REDIS = 'redis://:redis-pass-1a2b3c4d@redis:6379';
const NO_ENV_FILE = join(__dirname, 'no-such.env');

/** Every line the provider logged, as the operator would read it. */
function captureLogs(): SecretsLogger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (fields: Record<string, unknown>, msg: string) =>
    lines.push(`${level} ${msg} ${JSON.stringify(fields)}`);
  return { lines, warn: log('warn'), info: log('info') };
}

function infisicalEnv(url: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    INFISICAL_SITE_URL: url,
    INFISICAL_CLIENT_ID: 'machine-identity-1',
    INFISICAL_CLIENT_SECRET: CLIENT_SECRET,
    INFISICAL_PROJECT_ID: 'proj-42',
    INFISICAL_ENVIRONMENT: 'prod',
    INFISICAL_SECRET_PATH: '/mcp',
    ...extra,
  };
}

/** A running production edge's environment, apart from what Infisical supplies. */
const PRODUCTION_EDGE = {
  APP_ENV: 'production',
  OPENFGA_API_URL: 'https://fga.internal',
  OPENFGA_STORE_ID: 'store-1',
  OPS_PORT: '9464',
  AUTH_ISSUER: 'https://auth.example.com',
  EDGE_PUBLIC_URL: 'https://mcp.example.com',
  AGENT_PUBLIC_URL: 'https://agent.internal',
  MCP_ALLOWED_HOSTS: 'mcp.example.com',
  GATEWAY_SECRET: 'gateway-secret-5e7a9c1b3d',
};

let fake: FakeInfisical;
beforeEach(async () => {
  fake = await startFakeInfisical({
    clientId: 'machine-identity-1',
    clientSecret: CLIENT_SECRET,
    projectId: 'proj-42',
    environment: 'prod',
    secretPath: '/mcp',
    secrets: { EDGE_CLIENT_SECRET: STARTING, REDIS_URL: REDIS },
  });
});
afterEach(() => fake.close());

function expectNoSecretIn(text: string): void {
  for (const s of [CLIENT_SECRET, STARTING, ROTATED, 'redis-pass-1a2b3c4d']) expect(text).not.toContain(s);
  expect(text).not.toMatch(/eyJ\.[0-9a-f-]{36}/);
}

describe('Infisical secret provider', () => {
  it('logs in with universal auth and fills the configuration from the project folder', async () => {
    const logger = captureLogs();
    const config = await loadServiceConfig(
      edgeConfigSchema,
      { ...PRODUCTION_EDGE, ...infisicalEnv(fake.url), EDGE_CLIENT_SECRET: 'from-the-environment-0000' },
      { envFile: NO_ENV_FILE, logger },
    );
    expect(config.EDGE_CLIENT_SECRET).toBe(STARTING);
    expect(config.REDIS_URL).toBe(REDIS);
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: '/api/v1/auth/universal-auth/login' });
    expect(fake.requests[1]).toMatchObject({
      method: 'GET',
      path: '/api/v3/secrets/raw',
      authorized: true,
      query: {
        workspaceId: 'proj-42',
        environment: 'prod',
        secretPath: '/mcp',
        expandSecretReferences: 'true',
      },
    });
    expectNoSecretIn(logger.lines.join('\n'));
  });

  it('picks up a rotated value on the background refresh, without a restart', async () => {
    const logger = captureLogs();
    const live = await loadLiveServiceConfig(
      edgeConfigSchema,
      { ...infisicalEnv(fake.url, { INFISICAL_REFRESH_SECONDS: '1' }) },
      { envFile: NO_ENV_FILE, logger },
    );
    try {
      expect(live.current().EDGE_CLIENT_SECRET).toBe(STARTING);
      const changed = new Promise<readonly string[]>((resolve) => live.onChange((names) => resolve(names)));
      fake.setSecret('EDGE_CLIENT_SECRET', ROTATED);
      expect(await changed).toEqual(['EDGE_CLIENT_SECRET']);
      expect(live.current().EDGE_CLIENT_SECRET).toBe(ROTATED);
      expect(live.initial.EDGE_CLIENT_SECRET).toBe(STARTING);
      expect(logger.lines.join('\n')).toContain('EDGE_CLIENT_SECRET');
      expectNoSecretIn(logger.lines.join('\n'));
    } finally {
      live.close();
    }
  });

  it('keeps the previous value when a rotated one fails the schema', async () => {
    const logger = captureLogs();
    const live = await loadLiveServiceConfig(
      edgeConfigSchema,
      infisicalEnv(fake.url, { INFISICAL_REFRESH_SECONDS: '1' }),
      { envFile: NO_ENV_FILE, logger },
    );
    try {
      fake.setSecret('EDGE_CLIENT_SECRET', 'short');
      await waitFor(() => logger.lines.some((l) => l.includes('invalid configuration')));
      expect(live.current().EDGE_CLIENT_SECRET).toBe(STARTING);
    } finally {
      live.close();
    }
  });

  it('logs in again when its access token has expired, and reads the rotated value', async () => {
    const logger = captureLogs();
    const provider = createInfisicalProvider({ ...settings(fake.url), refreshMs: 60_000 }, { logger });
    await provider.start();
    fake.expireTokens();
    fake.setSecret('EDGE_CLIENT_SECRET', ROTATED);
    expect(await provider.refresh()).toEqual(['EDGE_CLIENT_SECRET']);
    expect(provider.current('EDGE_CLIENT_SECRET')).toBe(ROTATED);
    expect(fake.requests.filter((r) => r.path.endsWith('/login'))).toHaveLength(2);
    provider.close();
  });

  it('keeps the last values when a refresh fails, and says so without the values', async () => {
    const logger = captureLogs();
    const provider = createInfisicalProvider(settings(fake.url), { logger });
    await provider.start();
    fake.failWith(503);
    expect(await provider.refresh()).toEqual([]);
    expect(await provider.get('EDGE_CLIENT_SECRET')).toBe(STARTING);
    expect(logger.lines.join('\n')).toMatch(/refresh failed[\s\S]*503/);
    expectNoSecretIn(logger.lines.join('\n'));
    provider.close();
  });

  it('ignores secrets whose value the identity may not read, naming them', async () => {
    fake.setHiddenSecret('OPENFGA_API_TOKEN');
    const logger = captureLogs();
    const provider = createInfisicalProvider(settings(fake.url), { logger });
    await provider.start();
    expect(provider.current('OPENFGA_API_TOKEN')).toBeUndefined();
    expect(logger.lines.join('\n')).toContain('OPENFGA_API_TOKEN');
    provider.close();
  });

  it('refuses to start in production when Infisical is configured but answers 503', async () => {
    fake.failWith(503);
    const logger = captureLogs();
    const err = await loadServiceConfig(
      edgeConfigSchema,
      { ...PRODUCTION_EDGE, ...infisicalEnv(fake.url), REDIS_URL: REDIS, EDGE_CLIENT_SECRET: STARTING },
      { envFile: NO_ENV_FILE, logger },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/Infisical at http:\/\/127\.0\.0\.1:\d+ could not be read/);
    expect((err as Error).message).toMatch(/503/);
    expectNoSecretIn((err as Error).message);
  });

  it('outside production warns and uses the environment when Infisical is down', async () => {
    fake.failWith(503);
    const logger = captureLogs();
    const config = await loadServiceConfig(
      edgeConfigSchema,
      { ...infisicalEnv(fake.url), EDGE_CLIENT_SECRET: 'from-the-environment-0000' },
      { envFile: NO_ENV_FILE, logger },
    );
    expect(config.EDGE_CLIENT_SECRET).toBe('from-the-environment-0000');
    expect(logger.lines.join('\n')).toMatch(
      /^warn Infisical unavailable: secrets come from the environment/m,
    );
    expectNoSecretIn(logger.lines.join('\n'));
  });

  it('names the rejected login without repeating the client secret', async () => {
    const logger = captureLogs();
    const err = await loadServiceConfig(
      edgeConfigSchema,
      {
        ...PRODUCTION_EDGE,
        ...infisicalEnv(fake.url, { INFISICAL_CLIENT_SECRET: 'wrong-secret-aaaa-bbbb' }),
      },
      { envFile: NO_ENV_FILE, logger },
    ).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/StatusCode=401.*Invalid credentials/);
    expect((err as Error).message).not.toContain('wrong-secret-aaaa-bbbb');
  });

  it('stops a half-configured Infisical, naming what is missing', async () => {
    const err = await loadServiceConfig(
      edgeConfigSchema,
      { INFISICAL_CLIENT_ID: 'machine-identity-1' },
      { envFile: NO_ENV_FILE, logger: captureLogs() },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    for (const name of ['INFISICAL_CLIENT_SECRET', 'INFISICAL_PROJECT_ID', 'INFISICAL_ENVIRONMENT'])
      expect((err as Error).message).toContain(name);
  });

  it('stops a production service whose Infisical address refuses connections, by the deadline', async () => {
    const port = await closedPort();
    const env = {
      ...PRODUCTION_EDGE,
      ...infisicalEnv(`http://127.0.0.1:${port}`),
      INFISICAL_TIMEOUT_MS: '500',
    };
    // In a child process: the SDK keeps retrying in the background after the deadline, as it would
    // in a service that then exits.
    const code = `
      const { edgeConfigSchema, loadServiceConfig } = await import(${JSON.stringify(join(__dirname, 'index.ts'))});
      try { await loadServiceConfig(edgeConfigSchema, process.env, { envFile: ${JSON.stringify(NO_ENV_FILE)} }); process.exit(0); }
      catch (e) { process.stderr.write(e.message); process.exit(3); }`;
    const out = spawnSync(
      process.execPath,
      ['--conditions=development', '--import', 'tsx', '--input-type=module', '-e', code],
      {
        cwd: join(__dirname, '..', '..', '..'),
        env: { PATH: process.env.PATH, ...env },
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    expect(out.stderr).toMatch(/Infisical at .* could not be read.*no answer within 500 ms/);
    expect(out.stderr).toContain('does not start without its secret manager');
    expect(out.status).toBe(3);
    expectNoSecretIn(out.stderr);
  });
});

function settings(url: string) {
  return {
    siteUrl: url,
    clientId: 'machine-identity-1',
    clientSecret: CLIENT_SECRET,
    projectId: 'proj-42',
    environment: 'prod',
    secretPath: '/mcp',
    refreshMs: 60_000,
    timeoutMs: 5000,
  };
}

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  expect(check()).toBe(true);
}

/** A port nothing listens on: bound once, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
