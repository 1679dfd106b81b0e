import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuthorizer } from '@mcp-langgraph/authz';
import {
  createLiveConfig,
  type EdgeConfig,
  edgeConfigSchema,
  type LiveConfigSource,
  parseConfig,
} from '@mcp-langgraph/config';
import {
  createLogger,
  createMetrics,
  GATEWAY_SECRET_HEADER,
  listen,
  type Metrics,
} from '@mcp-langgraph/observability';
import { startTestIssuer, type TestIssuer } from '@mcp-langgraph/resource-server/testing';
import { captureLines } from '@mcp-langgraph/testing';
import { createEdgeService, type EdgeService } from './service.js';

const PUBLIC_URL = 'http://localhost:4000';
const GATEWAY_OLD = 'edge-gateway-before-0123456789';
const GATEWAY_NEW = 'edge-gateway-after-9876543210';
const CLIENT_OLD = 'edge-client-before-0123456789';
const CLIENT_NEW = 'edge-client-after-9876543210';

/** The authorization server as the edge meets it: the token exchange behind the gateway secret, and the feed. */
async function startFakeAuth() {
  const state = { gateway: [GATEWAY_OLD], secrets: [CLIENT_OLD] };
  const seen: Array<{ path: string; gateway?: string; secret?: string }> = [];
  const secretOf = (req: IncomingMessage) => {
    const m = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    return m ? decodeURIComponent(Buffer.from(m[1]!, 'base64').toString().split(':')[1] ?? '') : undefined;
  };
  const server: Server = createServer((req, res) => {
    const gateway = req.headers[GATEWAY_SECRET_HEADER] as string | undefined;
    const secret = secretOf(req);
    seen.push({ path: req.url ?? '', gateway, secret });
    const answer = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/token' && !state.gateway.includes(gateway ?? ''))
      return answer(403, { error: 'gateway_required' });
    if (!state.secrets.includes(secret ?? '')) return answer(401, { error: 'invalid_client' });
    if (req.url === '/revocations') return answer(200, { jtis: [], disabled_subjects: [] });
    answer(200, { access_token: `exchanged-${seen.length}`, token_type: 'Bearer', expires_in: 300 });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    state,
    seen,
    close: () => new Promise((r) => server.close(r)),
  };
}

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  expect(check()).toBe(true);
}

describe('secrets rotated while the edge runs', () => {
  const logs = captureLines();
  const { lines } = logs;
  let issuer: TestIssuer;
  let auth: Awaited<ReturnType<typeof startFakeAuth>>;
  let service: EdgeService;
  let server: Awaited<ReturnType<typeof listen>>;
  let env: Record<string, string>;
  let metrics: Metrics;
  let live: LiveConfigSource<EdgeConfig>;

  beforeAll(async () => {
    issuer = await startTestIssuer({ audience: `${PUBLIC_URL}/mcp` });
    auth = await startFakeAuth();
    env = {
      APP_ENV: 'test',
      EDGE_PUBLIC_URL: PUBLIC_URL,
      AUTH_ISSUER: issuer.issuer,
      AUTH_INTERNAL_URL: auth.url,
      AUTH_JWKS_URL: issuer.jwksUrl,
      EDGE_CLIENT_ID: 'mcp-edge',
      EDGE_CLIENT_SECRET: CLIENT_OLD,
      GATEWAY_SECRET: GATEWAY_OLD,
      REVOCATION_POLL_MS: '1000',
    };
    const config = parseConfig(edgeConfigSchema, env);
    live = createLiveConfig(config);
    metrics = createMetrics('mcp-edge', { defaultMetrics: false });
    service = await createEdgeService(config, {
      live,
      metrics,
      authorizer: await createAuthorizer({ sqlitePath: ':memory:', registry: metrics.registry }),
      logger: createLogger({
        service: 'mcp-edge',
        destination: logs.stream,
      }),
    });
    server = await listen(service.app, 0, '127.0.0.1');
  });
  afterAll(async () => {
    await server.close();
    await service.close();
    await Promise.all([issuer.close(), auth.close()]);
  });

  /** What the secret manager's refresh does: a new configuration, and the names that changed. */
  async function rotate(secrets: Record<string, string>) {
    env = { ...env, ...secrets };
    live.publish(Object.keys(secrets), parseConfig(edgeConfigSchema, env));
    await service.parts.rotationsSettled();
  }
  const exchange = async () =>
    service.parts.tools.exchanger.exchange(
      await service.parts.verifier.verify(issuer.sign({ jti: `jti-${Math.random()}` })),
    );
  const tokenRequests = () => auth.seen.filter((s) => s.path === '/token');
  const metadata = (secret: string) =>
    fetch(`http://127.0.0.1:${server.port}/.well-known/oauth-protected-resource`, {
      headers: { [GATEWAY_SECRET_HEADER]: secret },
    });

  it('GATEWAY_SECRET: the guard takes the new value at once, and the replaced one during the overlap', async () => {
    expect((await metadata(GATEWAY_NEW)).status).toBe(403);
    await rotate({ GATEWAY_SECRET: GATEWAY_NEW });
    expect((await metadata(GATEWAY_NEW)).status).toBe(200);
    expect((await metadata(GATEWAY_OLD)).status).toBe(200);
    expect((await metadata('edge-gateway-someone-else-00')).status).toBe(403);
  });

  it('GATEWAY_SECRET: the token exchange sends the new value, and the replaced one to an auth that lags', async () => {
    auth.seen.length = 0;
    // Auth has not seen the rotation yet: the exchange still succeeds, with the replaced value.
    await expect(exchange()).resolves.toMatch(/^exchanged-/);
    expect(tokenRequests().map((s) => s.gateway)).toEqual([GATEWAY_NEW, GATEWAY_OLD]);
    auth.state.gateway = [GATEWAY_NEW];
    auth.seen.length = 0;
    await expect(exchange()).resolves.toMatch(/^exchanged-/);
    expect(tokenRequests().map((s) => s.gateway)).toEqual([GATEWAY_NEW]);
  });

  it('EDGE_CLIENT_SECRET: the token exchange and the revocation feed authenticate with the new secret', async () => {
    await rotate({ EDGE_CLIENT_SECRET: CLIENT_NEW });
    auth.state.secrets = [CLIENT_NEW];
    auth.seen.length = 0;
    await expect(exchange()).resolves.toMatch(/^exchanged-/);
    expect(tokenRequests().map((s) => s.secret)).toEqual([CLIENT_NEW]);
    // The feed's next poll (every second) authenticates with the new secret too.
    await waitFor(() => auth.seen.some((s) => s.path === '/revocations'));
    expect(auth.seen.filter((s) => s.path === '/revocations').map((s) => s.secret)).toEqual([CLIENT_NEW]);
  });

  it('names what takes effect at the next restart, and never logs a value', async () => {
    await rotate({ REDIS_URL: 'redis://:redis-pass-1a2b3c4d@redis:6379' });
    const log = lines.join('');
    expect(log).toContain(
      '"secrets":["REDIS_URL"],"msg":"REDIS_URL changed; it takes effect at the next restart"',
    );
    for (const name of ['GATEWAY_SECRET', 'EDGE_CLIENT_SECRET'])
      expect(log).toContain(`"secrets":["${name}"],"msg":"rotated secret applied without a restart"`);
    for (const value of [GATEWAY_OLD, GATEWAY_NEW, CLIENT_OLD, CLIENT_NEW, 'redis-pass-1a2b3c4d'])
      expect(log).not.toContain(value);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(
      /^config_secret_rotations_total\{secret="GATEWAY_SECRET",outcome="applied"[^}]*\} 1$/m,
    );
    expect(text).toMatch(
      /^config_secret_rotations_total\{secret="REDIS_URL",outcome="restart_required"[^}]*\} 1$/m,
    );
  });
});
