import { randomUUID } from 'node:crypto';
import { describeWithRedis, TEST_REDIS_URL } from '@mcp-langgraph/db/testing';
import type { RateLimiter } from './limiter.js';
import { createMemoryRateLimiter } from './memory.js';
import { createRedisRateLimiter } from './redis.js';

function contract(name: string, make: () => RateLimiter) {
  describe(name, () => {
    let limiter: RateLimiter;
    beforeAll(() => {
      limiter = make();
    });
    afterAll(() => limiter.close());

    it('allows a burst up to the limit, then refuses with a retry hint', async () => {
      const key = randomUUID();
      const rule = { limit: 5, windowMs: 60_000 };
      const results = [];
      for (let i = 0; i < 7; i++) results.push(await limiter.consume(key, rule));
      expect(results.slice(0, 5).every((r) => r.allowed)).toBe(true);
      expect(results.map((r) => r.remaining).slice(0, 5)).toEqual([4, 3, 2, 1, 0]);
      expect(results[5]?.allowed).toBe(false);
      expect(results[6]?.allowed).toBe(false);
      expect(results[5]?.retryAfterMs).toBeGreaterThan(0);
      expect(results[5]?.retryAfterMs).toBeLessThanOrEqual(12_000);
    });

    it('keeps keys apart', async () => {
      const rule = { limit: 1, windowMs: 60_000 };
      const a = randomUUID();
      expect((await limiter.consume(a, rule)).allowed).toBe(true);
      expect((await limiter.consume(a, rule)).allowed).toBe(false);
      expect((await limiter.consume(randomUUID(), rule)).allowed).toBe(true);
    });

    it('refills as time passes', async () => {
      const key = randomUUID();
      const rule = { limit: 2, windowMs: 200 };
      await limiter.consume(key, rule);
      await limiter.consume(key, rule);
      expect((await limiter.consume(key, rule)).allowed).toBe(false);
      await new Promise((r) => setTimeout(r, 250));
      expect((await limiter.consume(key, rule)).allowed).toBe(true);
    });

    it('a refused request does not use up capacity', async () => {
      const key = randomUUID();
      const rule = { limit: 1, windowMs: 100 };
      await limiter.consume(key, rule);
      for (let i = 0; i < 5; i++) await limiter.consume(key, rule);
      await new Promise((r) => setTimeout(r, 130));
      expect((await limiter.consume(key, rule)).allowed).toBe(true);
    });
  });
}

contract('in-memory rate limiter', () => createMemoryRateLimiter());

describeWithRedis('redis rate limiter', () => {
  contract('shared through Redis', () =>
    createRedisRateLimiter({ url: TEST_REDIS_URL, prefix: `test:${randomUUID()}:` }),
  );

  it('two replicas share one limit', async () => {
    const prefix = `test:${randomUUID()}:`;
    const a = createRedisRateLimiter({ url: TEST_REDIS_URL, prefix });
    const b = createRedisRateLimiter({ url: TEST_REDIS_URL, prefix });
    try {
      const rule = { limit: 3, windowMs: 60_000 };
      const got = [
        await a.consume('u', rule),
        await b.consume('u', rule),
        await a.consume('u', rule),
        await b.consume('u', rule),
      ];
      expect(got.map((r) => r.allowed)).toEqual([true, true, true, false]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('fails closed when Redis is unreachable', async () => {
    const dead = createRedisRateLimiter({ url: 'redis://127.0.0.1:1', commandTimeoutMs: 200 });
    try {
      await expect(dead.consume('k', { limit: 10, windowMs: 1000 })).rejects.toThrow();
    } finally {
      await dead.close();
    }
  });
});
