import express, { type RequestHandler } from 'express';
import { listen } from './http.js';
import { onlyFor, sequence } from './middleware.js';

/** An app whose only layer is `handler`, then a route that answers what the handlers wrote. */
async function serve(handler: RequestHandler) {
  const app = express();
  app.use(handler);
  app.get('/x', (_req, res) => void res.json({ seen: res.getHeader('x-seen') ?? null }));
  app.use(((err, _req, res, _next) => {
    res.status(418).json({ error: (err as Error).message });
  }) as express.ErrorRequestHandler);
  const server = await listen(app, 0, '127.0.0.1');
  return { url: `http://127.0.0.1:${server.port}`, close: server.close };
}

const mark =
  (name: string): RequestHandler =>
  (_req, res, next) => {
    res.setHeader('x-seen', `${res.getHeader('x-seen') ?? ''}${name}`);
    next();
  };

describe('sequence', () => {
  it('runs the handlers in order, then the next layer', async () => {
    const s = await serve(sequence([mark('a'), mark('b'), mark('c')]));
    try {
      expect(await (await fetch(`${s.url}/x`)).json()).toEqual({ seen: 'abc' });
    } finally {
      await s.close();
    }
  });

  it.each([
    ['passed to next', ((_req, _res, next) => next(new Error('passed'))) as RequestHandler, 'passed'],
    [
      'thrown',
      (() => {
        throw new Error('thrown');
      }) as RequestHandler,
      'thrown',
    ],
    ['rejected', (async () => Promise.reject(new Error('rejected'))) as RequestHandler, 'rejected'],
  ])('hands an error %s to the error handlers and skips the rest', async (_how, failing, message) => {
    const s = await serve(sequence([mark('a'), failing, mark('never')]));
    try {
      const res = await fetch(`${s.url}/x`);
      expect(res.status).toBe(418);
      expect(await res.json()).toEqual({ error: message });
    } finally {
      await s.close();
    }
  });

  it("goes on after next(null) and next('route'), as express's router does", async () => {
    const nullNext: RequestHandler = (_req, _res, next) => next(null);
    const routeNext: RequestHandler = (_req, _res, next) => next('route');
    const s = await serve(sequence([mark('a'), nullNext, routeNext, mark('b')]));
    try {
      expect(await (await fetch(`${s.url}/x`)).json()).toEqual({ seen: 'ab' });
    } finally {
      await s.close();
    }
  });

  it('lets a handler answer without calling next', async () => {
    const answer: RequestHandler = (_req, res) => void res.status(204).end();
    const s = await serve(sequence([mark('a'), answer, mark('never')]));
    try {
      expect((await fetch(`${s.url}/x`)).status).toBe(204);
    } finally {
      await s.close();
    }
  });
});

describe('onlyFor', () => {
  it('enters the handler only for the paths it accepts', async () => {
    const s = await serve(onlyFor((p) => p === '/x', mark('in')));
    try {
      expect(await (await fetch(`${s.url}/x`)).json()).toEqual({ seen: 'in' });
      expect(await (await fetch(`${s.url}/X/`)).json()).toEqual({ seen: 'in' });
      expect((await fetch(`${s.url}/y`)).status).toBe(404);
    } finally {
      await s.close();
    }
  });
});
