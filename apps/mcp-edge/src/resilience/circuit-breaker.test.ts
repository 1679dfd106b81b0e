import { createServer, type Server } from 'node:http';
import { createAgentGuard } from './agent-guard.js';
import { CircuitOpenError, createCircuitBreaker } from './circuit-breaker.js';

describe('circuit breaker', () => {
  let clock = 0;
  const breaker = () => createCircuitBreaker({ failureThreshold: 3, openMs: 1000, now: () => clock });

  it('opens after the threshold of consecutive failures and refuses without calling', () => {
    clock = 0;
    const b = breaker();
    for (let i = 0; i < 2; i += 1) b.failure(b.admit().trial, 'unreachable');
    expect(b.state()).toBe('closed');
    b.failure(b.admit().trial, 'unreachable');
    expect(b.state()).toBe('open');
    expect(() => b.admit()).toThrow(CircuitOpenError);
    expect(b.lastFailure()).toBe('unreachable');
  });

  it('lets one trial through after the open period: success closes, failure reopens', () => {
    clock = 0;
    const b = breaker();
    for (let i = 0; i < 3; i += 1) b.failure(false, 'down');
    clock = 1000;
    expect(b.state()).toBe('half-open');
    const { trial } = b.admit();
    expect(trial).toBe(true);
    expect(() => b.admit()).toThrow(CircuitOpenError);
    b.failure(trial, 'still down');
    expect(b.state()).toBe('open');
    clock = 2000;
    b.success(b.admit().trial);
    expect(b.state()).toBe('closed');
    expect(b.admit().trial).toBe(false);
  });

  it('counts only consecutive failures', () => {
    clock = 0;
    const b = breaker();
    b.failure(false, 'x');
    b.failure(false, 'x');
    b.success(false);
    b.failure(false, 'x');
    b.failure(false, 'x');
    expect(b.state()).toBe('closed');
  });
});

describe('agent guard over HTTP', () => {
  let server: Server;
  let url: string;
  let hits = 0;
  let failFirst = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits += 1;
      res.statusCode = hits <= failFirst ? 503 : 200;
      res.end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });
  beforeEach(() => {
    hits = 0;
  });

  const guard = (retries: number) =>
    createAgentGuard({
      breaker: createCircuitBreaker({ failureThreshold: 10, openMs: 1000 }),
      retries,
      backoffMs: 1,
    });

  it('retries an idempotent call the dependency answered 503, and returns the answer that worked', async () => {
    failFirst = 2;
    const res = await guard(2).call(true, undefined, () => fetch(url));
    expect(res.status).toBe(200);
    expect(hits).toBe(3);
  });

  it('never repeats a call that is not idempotent', async () => {
    failFirst = 2;
    const res = await guard(2).call(false, undefined, () => fetch(url));
    expect(res.status).toBe(503);
    expect(hits).toBe(1);
  });

  it('gives up after the configured retries', async () => {
    failFirst = 10;
    const res = await guard(1).call(true, undefined, () => fetch(url));
    expect(res.status).toBe(503);
    expect(hits).toBe(2);
  });
});
