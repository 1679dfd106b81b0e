import { gcra, type RateLimiter } from './limiter.js';

/** The embedded default: one process, one map. Expired keys are swept as the map grows. */
export function createMemoryRateLimiter(options: { maxKeys?: number; now?: () => number } = {}): RateLimiter {
  const tats = new Map<string, number>();
  const maxKeys = options.maxKeys ?? 100_000;
  const now = options.now ?? Date.now;
  return {
    async consume(key, rule, cost = 1) {
      const t = now();
      const { decision, newTat } = gcra(tats.get(key), t, rule, cost);
      if (newTat !== undefined) {
        if (tats.size >= maxKeys && !tats.has(key)) {
          for (const [k, v] of tats) if (v <= t) tats.delete(k);
          if (tats.size >= maxKeys) tats.delete(tats.keys().next().value as string);
        }
        tats.set(key, newTat);
      }
      return decision;
    },
    async ping() {},
    async close() {
      tats.clear();
    },
  };
}
