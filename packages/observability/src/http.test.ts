import { Writable } from 'node:stream';
import express from 'express';
import helmet from 'helmet';
import { AppError } from './errors.js';
import { corsAllowlist, createBaseApp, listen } from './http.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, stream };
}

async function start(probeOk = true) {
  const out = capture();
  const logger = createLogger({ service: 'test', destination: out.stream });
  const metrics = createMetrics('test', { defaultMetrics: false });
  const { app } = createBaseApp({
    logger,
    metrics,
    corsOrigins: ['https://app.example.com'],
    bodyLimit: '1kb',
    probes: [
      {
        name: 'db',
        check: async () => {
          if (!probeOk) throw new Error('down');
        },
      },
    ],
    bodyParsers: { json: true, urlencoded: true },
    routes(app) {
      app.post('/echo', (req, res) => {
        res.json(req.body);
      });
      app.get('/boom', () => {
        throw new Error('secret internal detail');
      });
      app.get('/teapot', () => {
        throw new AppError(409, 'conflict_here', 'already exists');
      });
    },
  });
  const s = await listen(app, 0, '127.0.0.1');
  return { url: `http://127.0.0.1:${s.port}`, close: s.close, out };
}

describe('base app', () => {
  it('serves health, readiness and metrics', async () => {
    const s = await start();
    try {
      expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${s.url}/readyz`);
      expect(ready.status).toBe(200);
      await fetch(`${s.url}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      const m = await (await fetch(`${s.url}/metrics`)).text();
      expect(m).toMatch(/http_requests_total\{[^}]*route="\/echo"[^}]*status="200"/);
    } finally {
      await s.close();
    }
  });

  it('answers 503 from /readyz when a dependency is down', async () => {
    const s = await start(false);
    try {
      const r = await fetch(`${s.url}/readyz`);
      expect(r.status).toBe(503);
      expect(await r.json()).toMatchObject({ checks: { db: 'unavailable' } });
    } finally {
      await s.close();
    }
  });

  it('turns malformed and oversized bodies into 4xx, never 500', async () => {
    const s = await start();
    try {
      const postJson = (body: string) =>
        fetch(`${s.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const bad = await postJson('{"a":');
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({
        error: 'invalid_json',
        error_description: 'request body is not valid JSON',
      });
      const big = await postJson(JSON.stringify({ x: 'y'.repeat(5000) }));
      expect(big.status).toBe(413);
      const deep = await postJson(`${'['.repeat(33)}${']'.repeat(33)}`);
      expect(deep.status).toBe(400);
      expect(await deep.json()).toEqual({
        error: 'json_too_deep',
        error_description: 'request body nests deeper than 32 levels',
      });
      const deepButQuoted = await postJson(
        JSON.stringify({ s: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\"{{{{' }),
      );
      expect(deepButQuoted.status).toBe(200);
      const missing = await fetch(`${s.url}/nope`);
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { error: string }).error).toBe('not_found');
      const conflict = await fetch(`${s.url}/teapot`);
      expect(conflict.status).toBe(409);
      expect(await conflict.json()).toEqual({ error: 'conflict_here', error_description: 'already exists' });
    } finally {
      await s.close();
    }
  });

  it('hides internals of a 500 and keeps secrets out of the log', async () => {
    const s = await start();
    try {
      const r = await fetch(`${s.url}/boom`, { headers: { authorization: 'Bearer eyJsecret.token.value' } });
      expect(r.status).toBe(500);
      const text = await r.text();
      expect(text).not.toContain('secret internal detail');
      expect(text).not.toContain('at ');
      expect(r.headers.get('x-request-id')).toBeTruthy();
    } finally {
      await s.close();
    }
    const logged = s.out.lines.join('');
    expect(logged).not.toContain('eyJsecret');
  });

  it('sends every header helmet sends, on every response', async () => {
    const plain = express();
    plain.use(helmet({ crossOriginResourcePolicy: { policy: 'same-site' } }));
    plain.get('/healthz', (_req, res) => void res.json({}));
    const reference = await listen(plain, 0, '127.0.0.1');
    const s = await start();
    try {
      const headersOf = async (url: string) => {
        const h = (await fetch(url)).headers;
        return Object.fromEntries(
          [...h].filter(
            ([k]) =>
              ![
                'date',
                'etag',
                'content-length',
                'x-request-id',
                'connection',
                'keep-alive',
                'x-powered-by',
              ].includes(k),
          ),
        );
      };
      const expected = await headersOf(`http://127.0.0.1:${reference.port}/healthz`);
      expect(Object.keys(expected).length).toBeGreaterThan(10);
      for (const path of ['/healthz', '/nope', '/healthz'])
        expect(await headersOf(`${s.url}${path}`)).toMatchObject(expected);
    } finally {
      await Promise.all([s.close(), reference.close()]);
    }
  });

  it('matches the operational routes as express routes match (case, trailing slash) and logs request ids', async () => {
    const s = await start();
    try {
      for (const path of ['/healthz/', '/HEALTHZ', '/readyz/'])
        expect((await fetch(`${s.url}${path}`)).status).toBe(200);
      expect((await fetch(`${s.url}/healthzz`)).status).toBe(404);
      const boom = await fetch(`${s.url}/boom`, { headers: { 'x-request-id': 'req-123' } });
      expect(boom.status).toBe(500);
    } finally {
      await s.close();
    }
    const failed = s.out.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(failed.filter((l) => l.request_id === 'req-123').length).toBeGreaterThan(0);
  });

  it('sends CORS headers only to allowlisted origins, plus security headers', async () => {
    const s = await start();
    try {
      const ok = await fetch(`${s.url}/healthz`, { headers: { origin: 'https://app.example.com' } });
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      const evil = await fetch(`${s.url}/healthz`, { headers: { origin: 'https://evil.example.com' } });
      expect(evil.headers.get('access-control-allow-origin')).toBeNull();
      expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
      expect(ok.headers.get('x-powered-by')).toBeNull();
    } finally {
      await s.close();
    }
  });
});

describe('composing a service app', () => {
  it('runs `before` ahead of the CORS allowlist, keeps guards off the probes, and parses bodies only when asked', async () => {
    const logger = createLogger({ service: 'test', level: 'silent' });
    const metrics = createMetrics('test', { defaultMetrics: false });
    const refuse: import('express').RequestHandler = (_req, res) => {
      res.status(403).json({ error: 'host_not_allowed' });
    };
    const { app } = createBaseApp({
      logger,
      metrics,
      corsOrigins: [],
      bodyLimit: '1kb',
      before: [
        {
          path: '/open',
          handlers: [corsAllowlist(['*'])],
        },
      ],
      guards: [{ path: '/guarded', handlers: [refuse] }],
      routes(a) {
        a.post('/open', (req, res) => {
          res.json({ body: req.body ?? null });
        });
        a.get('/guarded', (_req, res) => {
          res.json({ reached: true });
        });
        a.get('/fails', () => {
          throw Object.assign(new Error('x'), { custom: true });
        });
      },
      errorHandlers: [
        {
          handler: (err, _req, res, next) => {
            if ((err as { custom?: boolean }).custom) res.status(418).json({ error: 'custom' });
            else next(err);
          },
        },
      ],
    });
    const s = await listen(app, 0, '127.0.0.1');
    const url = `http://127.0.0.1:${s.port}`;
    try {
      const preflight = await fetch(`${url}/open`, {
        method: 'OPTIONS',
        headers: { origin: 'https://any.example', 'access-control-request-method': 'POST' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBe('https://any.example');
      const posted = await fetch(`${url}/open`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"a":1}',
      });
      expect(await posted.json()).toEqual({ body: null });
      expect((await fetch(`${url}/guarded`)).status).toBe(403);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect((await fetch(`${url}/fails`)).status).toBe(418);
    } finally {
      await s.close();
    }
  });
});

describe('logger', () => {
  it('redacts credentials wherever they appear', () => {
    const out = capture();
    const logger = createLogger({ service: 't', destination: out.stream });
    logger.info(
      {
        password: 'hunter2',
        body: { client_secret: 'cs', refresh_token: 'rt' },
        headers: { authorization: 'Bearer x' },
      },
      'hi',
    );
    logger.flush();
    const line = out.lines.join('');
    for (const s of ['hunter2', '"cs"', '"rt"', 'Bearer x']) expect(line).not.toContain(s);
    expect(line).toContain('[redacted]');
  });
});

describe('a separate ops port', () => {
  it('keeps readiness and metrics off the public app, and serves them on the ops app', async () => {
    const { app, ops } = createBaseApp({
      logger: createLogger({ service: 'test', level: 'silent' }),
      metrics: createMetrics('test', { defaultMetrics: false }),
      corsOrigins: [],
      bodyLimit: '1kb',
      separateOps: true,
      routes() {},
    });
    const main = await listen(app, 0, '127.0.0.1');
    const side = await listen(ops, 0, '127.0.0.1');
    try {
      const at = (s: { port: number }, path: string) => fetch(`http://127.0.0.1:${s.port}${path}`);
      expect((await at(main, '/healthz')).status).toBe(200);
      expect((await at(main, '/readyz')).status).toBe(404);
      expect((await at(main, '/metrics')).status).toBe(404);
      expect((await at(side, '/readyz')).status).toBe(200);
      expect(await (await at(side, '/metrics')).text()).toContain('http_requests_total');
    } finally {
      await Promise.all([main.close(), side.close()]);
    }
  });
});

describe('server timeouts', () => {
  it('drop a client that sends its request too slowly', async () => {
    const { app } = createBaseApp({
      logger: createLogger({ service: 'test', level: 'silent' }),
      metrics: createMetrics('test', { defaultMetrics: false }),
      corsOrigins: [],
      bodyLimit: '1kb',
      bodyParsers: { json: true },
      routes(a) {
        a.post('/echo', (req, res) => {
          res.json(req.body);
        });
      },
    });
    const s = await listen(app, 0, '127.0.0.1', {
      requestTimeoutMs: 300,
      headersTimeoutMs: 200,
      keepAliveTimeoutMs: 100,
    });
    const { connect } = await import('node:net');
    try {
      const answer = await new Promise<string>((resolve) => {
        const socket = connect(s.port, '127.0.0.1', () => {
          socket.write(
            'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
          );
        });
        let got = '';
        socket.on('data', (d) => {
          got += d;
        });
        // Trickle a byte now and then, as a slow-body attack does; the server must give up anyway.
        const drip = setInterval(() => socket.write(' '), 50);
        socket.on('close', () => {
          clearInterval(drip);
          resolve(got);
        });
      });
      // The client never stops dripping: only the server's timeout ends this (Node's default: 300 s,
      // past the test's own timeout).
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      await s.close();
    }
  });
});
