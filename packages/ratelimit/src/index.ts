export { gcra, type RateLimitDecision, type RateLimiter, type RateLimitRule } from './limiter.js';
export { createMemoryRateLimiter } from './memory.js';
export { createRedisRateLimiter, type RedisRateLimiterOptions } from './redis.js';
