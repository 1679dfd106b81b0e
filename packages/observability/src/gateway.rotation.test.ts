import { fetchWithGatewaySecret, GATEWAY_SECRET_HEADER } from './gateway.js';
import { createBaseApp, listen } from './http.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';

const OLD = 'gateway-secret-before-0123456789';
const NEW = 'gateway-secret-after-9876543210';

/** A service whose accepted gateway secrets are whatever `accepted` holds at each request. */
async function start(accepted: { values: string[] }) {
  const { app } = createBaseApp({
    logger: createLogger({ service: 'test', level: 'silent' }),
    metrics: createMetrics('test', { defaultMetrics: false }),
    corsOrigins: [],
    bodyLimit: '1kb',
    separateOps: true,
    gatewaySecret: () => accepted.values,
    bodyParsers: { urlencoded: true },
    routes(app) {
      app.post('/token', (req, res) => {
        res.json({ seen: req.headers[GATEWAY_SECRET_HEADER], body: req.body });
      });
    },
  });
  const server = await listen(app, 0, '127.0.0.1');
  return { url: `http://127.0.0.1:${server.port}/token`, close: server.close };
}

describe('a gateway secret that rotates while the service runs', () => {
  it('the guard reads the accepted values per request: both in the overlap, then only the new one', async () => {
    const accepted = { values: [OLD] };
    const s = await start(accepted);
    const post = (secret: string) =>
      fetch(s.url, { method: 'POST', headers: { [GATEWAY_SECRET_HEADER]: secret } });
    try {
      expect((await post(OLD)).status).toBe(200);
      expect((await post(NEW)).status).toBe(403);
      accepted.values = [NEW, OLD];
      expect((await post(NEW)).status).toBe(200);
      expect((await post(OLD)).status).toBe(200);
      accepted.values = [NEW];
      expect((await post(OLD)).status).toBe(403);
      expect((await post(NEW)).status).toBe(200);
      // Fail-closed: with nothing accepted every request is refused.
      accepted.values = [];
      expect((await post(NEW)).status).toBe(403);
    } finally {
      await s.close();
    }
  });

  it('the sender sends the current value and, refused by a service that has not rotated yet, the replaced one', async () => {
    const accepted = { values: [OLD] };
    const s = await start(accepted);
    const sending = { values: [OLD] };
    const send = fetchWithGatewaySecret(() => sending.values);
    const post = () =>
      send(s.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'x' }),
      });
    try {
      expect(await (await post()).json()).toMatchObject({ seen: OLD });
      sending.values = [NEW, OLD];
      const res = await post();
      expect(res.status).toBe(200);
      // The retried request carried the whole body again.
      expect(await res.json()).toEqual({ seen: OLD, body: { grant_type: 'x' } });
      accepted.values = [NEW, OLD];
      expect(await (await post()).json()).toMatchObject({ seen: NEW });
      sending.values = [NEW];
      accepted.values = [OLD];
      expect((await post()).status).toBe(403);
    } finally {
      await s.close();
    }
  });
});
