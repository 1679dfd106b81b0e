import { createServer } from 'node:http';
import { Writable } from 'node:stream';
import { fetchWithGatewaySecret, GATEWAY_SECRET_HEADER } from './gateway.js';
import { createBaseApp, listen } from './http.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';

const SECRET = 'a-generated-gateway-secret-0123456789';

async function start(options: { gatewaySecret?: string; gatewayExempt?: string[] }) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const { app, ops } = createBaseApp({
    logger: createLogger({ service: 'test', destination: stream }),
    metrics: createMetrics('test', { defaultMetrics: false }),
    corsOrigins: [],
    bodyLimit: '1kb',
    separateOps: true,
    ...options,
    routes(app) {
      app.get('/resource', (_req, res) => {
        res.json({ ok: true });
      });
      app.get('/keys', (_req, res) => {
        res.json({ keys: [] });
      });
    },
  });
  const main = await listen(app, 0, '127.0.0.1');
  const side = await listen(ops, 0, '127.0.0.1');
  return {
    at: (path: string, headers: Record<string, string> = {}) =>
      fetch(`http://127.0.0.1:${main.port}${path}`, { headers }),
    ops: (path: string) => fetch(`http://127.0.0.1:${side.port}${path}`),
    lines,
    close: () => Promise.all([main.close(), side.close()]),
  };
}

describe('the gateway requirement (GATEWAY_SECRET)', () => {
  let s: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    s = await start({ gatewaySecret: SECRET, gatewayExempt: ['/keys'] });
  });
  afterAll(() => s.close());

  it('refuses a request without the header with 403 gateway_required', async () => {
    const res = await s.at('/resource');
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: 'gateway_required' });
  });

  it('refuses a wrong secret, a prefix of it and a longer one, and never logs what was sent', async () => {
    for (const wrong of ['wrong-secret', SECRET.slice(0, -1), `${SECRET}x`, `${SECRET}, ${SECRET}`]) {
      const res = await s.at('/resource', { [GATEWAY_SECRET_HEADER]: wrong });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: 'gateway_required' });
    }
    const log = s.lines.join('');
    expect(log).toContain('did not come through the gateway');
    expect(log).not.toContain('wrong-secret');
    expect(log).not.toContain(SECRET.slice(0, 20));
  });

  it('passes a request that carries the right secret', async () => {
    const res = await s.at('/resource', { 'X-Gateway-Secret': SECRET });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('leaves /healthz, the exempt paths and the ops port open for probes and internal callers', async () => {
    expect((await s.at('/healthz')).status).toBe(200);
    expect((await s.at('/keys')).status).toBe(200);
    expect((await s.ops('/readyz')).status).toBe(200);
    expect((await s.ops('/metrics')).status).toBe(200);
    // Exempt means that exact path only.
    expect((await s.at('/keys/more')).status).toBe(403);
  });

  it('holds unknown paths to it too, so nothing about the service shows without the gateway', async () => {
    const res = await s.at('/no-such-path');
    expect(res.status).toBe(403);
  });
});

describe('without GATEWAY_SECRET', () => {
  it('serves requests that carry no gateway header (development, tests)', async () => {
    const s = await start({});
    try {
      expect((await s.at('/resource')).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});

describe('fetchWithGatewaySecret', () => {
  it('sends the secret to a service that requires the gateway, keeping the caller’s headers', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      res.end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/token`;
    try {
      await fetchWithGatewaySecret(SECRET)(url, { method: 'POST', headers: { authorization: 'Basic x' } });
      await fetchWithGatewaySecret(undefined)(url);
      expect(seen[0]).toMatchObject({ [GATEWAY_SECRET_HEADER]: SECRET, authorization: 'Basic x' });
      expect(seen[1]?.[GATEWAY_SECRET_HEADER]).toBeUndefined();
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
