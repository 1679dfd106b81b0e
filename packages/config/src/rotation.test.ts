import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { basicAuthorization } from '@mcp-langgraph/protocol';
import {
  createLiveConfig,
  createRotatingSecret,
  type EdgeConfig,
  edgeConfigSchema,
  fetchWithClientSecret,
  followSecretRotations,
  loadLiveServiceConfig,
  parseConfig,
  rotationOverlapMs,
} from './index.js';
import { type FakeInfisical, startFakeInfisical } from './infisical.fake.js';
import type { SecretsLogger } from './infisical.js';

const CLIENT_SECRET = 'ua-client-secret-7f3c9a1e5b2d4086';
const GATEWAY_OLD = 'gateway-old-5e7a9c1b3d2f4a6b';
const GATEWAY_NEW = 'gateway-new-8d1f3b5a7c9e0b2d';
const REDIS = 'redis://:redis-pass-1a2b3c4d@redis:6379';
const NO_ENV_FILE = join(__dirname, 'no-such.env');

function captureLogs(): SecretsLogger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (fields: Record<string, unknown>, msg: string) =>
    lines.push(`${level} ${msg} ${JSON.stringify(fields)}`);
  return { lines, warn: log('warn'), info: log('info') };
}

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  expect(check()).toBe(true);
}

describe('a rotating secret', () => {
  it('accepts the replaced value until the overlap window ends, then only the new one', () => {
    let now = 1_000;
    const secret = createRotatingSecret('GATEWAY_SECRET', GATEWAY_OLD, { overlapMs: 600, now: () => now });
    expect(secret.accepted()).toEqual([GATEWAY_OLD]);
    secret.rotate(GATEWAY_NEW);
    expect(secret.current()).toBe(GATEWAY_NEW);
    expect(secret.accepted()).toEqual([GATEWAY_NEW, GATEWAY_OLD]);
    now += 599;
    expect(secret.accepted()).toEqual([GATEWAY_NEW, GATEWAY_OLD]);
    now += 1;
    expect(secret.accepted()).toEqual([GATEWAY_NEW]);
  });

  it('may not be removed while running: the current value stays', () => {
    const secret = createRotatingSecret('GATEWAY_SECRET', GATEWAY_OLD, { overlapMs: 600 });
    expect(() => secret.rotate(undefined)).toThrow(/GATEWAY_SECRET was removed/);
    expect(() => secret.rotate('')).toThrow(/previous value stays/);
    expect(secret.accepted()).toEqual([GATEWAY_OLD]);
  });

  it('is set or unset from start: setting one that was unset waits for a restart', () => {
    const secret = createRotatingSecret('GATEWAY_SECRET', undefined, { overlapMs: 600 });
    expect(() => secret.rotate(GATEWAY_NEW)).toThrow(/GATEWAY_SECRET was not set at start/);
    expect(secret.accepted()).toEqual([]);
    expect(secret.current()).toBeUndefined();
  });

  it('overlaps for two refresh intervals', () => {
    expect(rotationOverlapMs({ INFISICAL_REFRESH_SECONDS: 300 })).toBe(600_000);
  });
});

describe('following rotations from Infisical', () => {
  let fake: FakeInfisical;
  beforeEach(async () => {
    fake = await startFakeInfisical({
      clientId: 'machine-identity-1',
      clientSecret: CLIENT_SECRET,
      projectId: 'proj-42',
      environment: 'prod',
      secretPath: '/mcp',
      secrets: { GATEWAY_SECRET: GATEWAY_OLD, REDIS_URL: REDIS },
    });
  });
  afterEach(() => fake.close());

  async function liveEdge(logger: SecretsLogger) {
    return loadLiveServiceConfig(
      edgeConfigSchema,
      {
        INFISICAL_SITE_URL: fake.url,
        INFISICAL_CLIENT_ID: 'machine-identity-1',
        INFISICAL_CLIENT_SECRET: CLIENT_SECRET,
        INFISICAL_PROJECT_ID: 'proj-42',
        INFISICAL_ENVIRONMENT: 'prod',
        INFISICAL_SECRET_PATH: '/mcp',
        INFISICAL_REFRESH_SECONDS: '1',
      },
      { envFile: NO_ENV_FILE, logger },
    );
  }

  it('applies a rotated secret, logging its name only, and names one that needs a restart', async () => {
    const logger = captureLogs();
    const live = await liveEdge(logger);
    const gateway = createRotatingSecret('GATEWAY_SECRET', live.initial.GATEWAY_SECRET, {
      overlapMs: 60_000,
    });
    const counted: string[] = [];
    const follow = followSecretRotations(live, {
      logger,
      apply: { GATEWAY_SECRET: (c) => gateway.rotate(c.GATEWAY_SECRET) },
      count: (name, outcome) => counted.push(`${name} ${outcome}`),
    });
    try {
      fake.setSecret('GATEWAY_SECRET', GATEWAY_NEW);
      await waitFor(() => counted.length === 1);
      expect(counted).toEqual(['GATEWAY_SECRET applied']);
      expect(gateway.accepted()).toEqual([GATEWAY_NEW, GATEWAY_OLD]);
      fake.setSecret('REDIS_URL', 'redis://:redis-pass-9z8y7x6w@redis:6379');
      await waitFor(() => logger.lines.some((l) => l.includes('REDIS_URL changed')));
      expect(counted).toEqual(['GATEWAY_SECRET applied', 'REDIS_URL restart_required']);
      const log = logger.lines.join('\n');
      expect(log).toMatch(
        /^info rotated secret applied without a restart {"secrets":\["GATEWAY_SECRET"\]}$/m,
      );
      expect(log).toMatch(/^warn REDIS_URL changed; it takes effect at the next restart/m);
      for (const value of [GATEWAY_OLD, GATEWAY_NEW, 'redis-pass', CLIENT_SECRET])
        expect(log).not.toContain(value);
    } finally {
      follow.stop();
      live.close();
    }
  });

  it('keeps the previous value when applying fails, and says so without the value', async () => {
    const logger = captureLogs();
    const live = await liveEdge(logger);
    const gateway = createRotatingSecret('GATEWAY_SECRET', live.initial.GATEWAY_SECRET, {
      overlapMs: 60_000,
    });
    const follow = followSecretRotations(live, {
      logger,
      apply: { GATEWAY_SECRET: (c) => gateway.rotate(c.GATEWAY_SECRET) },
    });
    try {
      fake.setSecret('GATEWAY_SECRET', '');
      await waitFor(() => logger.lines.some((l) => l.includes('not applied')));
      expect(gateway.accepted()).toEqual([GATEWAY_OLD]);
      expect(logger.lines.join('\n')).not.toContain(GATEWAY_OLD);
    } finally {
      follow.stop();
      live.close();
    }
  });
});

describe('fetchWithClientSecret', () => {
  it('presents the current secret, the replaced one while the other side lags, and nothing to the JWKS', async () => {
    let accepted = 'client-secret-old-00000000';
    const seen: Array<string | undefined> = [];
    const server = createServer((req: IncomingMessage, res) => {
      seen.push(req.headers.authorization);
      const ok =
        req.url === '/jwks' || req.headers.authorization === basicAuthorization('mcp-edge', accepted);
      res.writeHead(ok ? 200 : 401).end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    let now = 0;
    const secret = createRotatingSecret('EDGE_CLIENT_SECRET', accepted, { overlapMs: 1000, now: () => now });
    const send = fetchWithClientSecret('mcp-edge', () => secret.accepted());
    const token = () =>
      send(`${base}/token`, {
        method: 'POST',
        headers: { authorization: basicAuthorization('mcp-edge', 'start-up-value-000000') },
        body: new URLSearchParams({ grant_type: 'client_credentials' }),
      });
    try {
      expect((await token()).status).toBe(200);
      secret.rotate('client-secret-new-11111111');
      // The authorization server has not seen the rotation yet: the replaced secret still works.
      expect((await token()).status).toBe(200);
      accepted = 'client-secret-new-11111111';
      seen.length = 0;
      expect((await token()).status).toBe(200);
      expect(seen).toHaveLength(1);
      // Past the window the replaced secret is never sent again.
      accepted = 'client-secret-old-00000000';
      now = 1000;
      expect((await token()).status).toBe(401);
      seen.length = 0;
      expect((await send(`${base}/jwks`)).status).toBe(200);
      expect(seen).toEqual([undefined]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('createLiveConfig', () => {
  it('publishes a new configuration to its listeners and as current()', () => {
    const first = parseConfig(edgeConfigSchema, { GATEWAY_SECRET: GATEWAY_OLD });
    const live = createLiveConfig<EdgeConfig>(first);
    const heard: string[][] = [];
    live.onChange((names) => heard.push([...names]));
    const next = parseConfig(edgeConfigSchema, { GATEWAY_SECRET: GATEWAY_NEW });
    live.publish(['GATEWAY_SECRET'], next);
    expect(live.current().GATEWAY_SECRET).toBe(GATEWAY_NEW);
    expect(live.initial.GATEWAY_SECRET).toBe(GATEWAY_OLD);
    expect(heard).toEqual([['GATEWAY_SECRET']]);
  });
});
