/** `limit` requests per `windowMs`, with bursts up to `limit` (GCRA: a smooth token bucket). */
export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  /** Requests still allowed right now. */
  remaining: number;
  /** When denied: how long until one more request would be allowed. */
  retryAfterMs: number;
  /** How long until the bucket is full again. */
  resetMs: number;
}

/**
 * Counts requests per key. Implementations share one algorithm (GCRA) so the in-memory default
 * and Redis answer alike; Redis is what makes a limit hold across replicas. A limiter that cannot
 * decide throws, and callers refuse the request (fail closed).
 */
export interface RateLimiter {
  consume(key: string, rule: RateLimitRule, cost?: number): Promise<RateLimitDecision>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The GCRA step, shared by the in-memory limiter and mirrored by the Redis script. */
export function gcra(
  tat: number | undefined,
  now: number,
  rule: RateLimitRule,
  cost: number,
): { decision: RateLimitDecision; newTat: number | undefined } {
  const interval = rule.windowMs / rule.limit;
  const burst = rule.windowMs;
  const start = Math.max(tat ?? now, now);
  const newTat = start + interval * cost;
  const allowAt = newTat - burst;
  if (allowAt > now) {
    return {
      decision: {
        allowed: false,
        limit: rule.limit,
        remaining: 0,
        retryAfterMs: Math.ceil(allowAt - now),
        resetMs: Math.ceil(start - now),
      },
      newTat: undefined,
    };
  }
  return {
    decision: {
      allowed: true,
      limit: rule.limit,
      remaining: Math.floor((now - allowAt) / interval),
      retryAfterMs: 0,
      resetMs: Math.ceil(newTat - now),
    },
    newTat,
  };
}
