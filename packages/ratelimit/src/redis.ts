import { Redis } from 'ioredis';
import type { RateLimiter } from './limiter.js';

// GCRA in one atomic script. Time comes from Redis itself so replicas with skewed clocks agree.
const SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1]) / tonumber(ARGV[2])
local burst = tonumber(ARGV[1])
local cost = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
local start = math.max(tat, now)
local new_tat = start + interval * cost
local allow_at = new_tat - burst
if allow_at > now then
  return {0, 0, math.ceil(allow_at - now), math.ceil(start - now)}
end
redis.call('SET', KEYS[1], tostring(new_tat), 'PX', math.ceil(new_tat - now) + 1)
return {1, math.floor((now - allow_at) / interval), 0, math.ceil(new_tat - now)}
`;

export interface RedisRateLimiterOptions {
  url: string;
  /** Prefix for every key, so several deployments can share one Redis. */
  prefix?: string;
  commandTimeoutMs?: number;
}

/** Limits shared by every replica through Redis. Errors propagate: callers deny (fail closed). */
export function createRedisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  let closing = false;
  const redis = new Redis(options.url, {
    retryStrategy: (times) => (closing ? null : Math.min(times * 100, 2000)),
    lazyConnect: false,
    enableOfflineQueue: true,
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 500,
    connectTimeout: 2000,
  });
  // Connection errors surface on the commands that fail; without a listener ioredis would print them.
  redis.on('error', () => {});
  redis.defineCommand('gcra', { numberOfKeys: 1, lua: SCRIPT });
  const prefix = options.prefix ?? 'rl:';
  const client = redis as Redis & {
    gcra(
      key: string,
      windowMs: number,
      limit: number,
      cost: number,
    ): Promise<[number, number, number, number]>;
  };
  return {
    async consume(key, rule, cost = 1) {
      const [ok, remaining, retryAfterMs, resetMs] = await client.gcra(
        prefix + key,
        rule.windowMs,
        rule.limit,
        cost,
      );
      return { allowed: ok === 1, limit: rule.limit, remaining, retryAfterMs, resetMs };
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      closing = true;
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}
