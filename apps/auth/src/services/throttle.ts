export interface LoginThrottleOptions {
  /** Failures (per account) before a temporary lockout; per address the limit is three times this. */
  maxFailures: number;
  lockoutSeconds: number;
  /** First delay once failures pile up; it doubles with each further failure. */
  baseDelayMs: number;
  maxDelayMs: number;
  now: () => number;
  /** Most keys remembered; the oldest are forgotten first. */
  capacity?: number;
}

interface Entry {
  failures: number;
  lastFailure: number;
  lockedUntil: number;
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

/**
 * Throttles password guessing per account and per client address: after a few failures each answer
 * is delayed progressively, then the key is locked out for a while. Kept in memory per replica.
 */
export function createLoginThrottle(options: LoginThrottleOptions) {
  const capacity = options.capacity ?? 100_000;
  const entries = new Map<string, Entry>();
  const FREE_FAILURES = 3;

  const limitOf = (key: string) => (key.startsWith('ip:') ? options.maxFailures * 3 : options.maxFailures);

  function entry(key: string): Entry | undefined {
    const e = entries.get(key);
    if (!e) return undefined;
    const now = options.now();
    // Failures are forgotten once the key has been quiet for a lockout period.
    if (e.lockedUntil <= now && now - e.lastFailure > options.lockoutSeconds) {
      entries.delete(key);
      return undefined;
    }
    return e;
  }

  return {
    /** Whether any key is locked, and how long to wait before answering. */
    check(keys: readonly string[]): { locked: boolean; delayMs: number; retryAfter: number } {
      const now = options.now();
      let delayMs = 0;
      let retryAfter = 0;
      for (const key of keys) {
        const e = entry(key);
        if (!e) continue;
        if (e.lockedUntil > now) retryAfter = Math.max(retryAfter, Math.ceil(e.lockedUntil - now));
        const excess = e.failures - FREE_FAILURES;
        if (excess >= 0)
          delayMs = Math.max(delayMs, Math.min(options.baseDelayMs * 2 ** excess, options.maxDelayMs));
      }
      return { locked: retryAfter > 0, delayMs, retryAfter };
    },
    fail(keys: readonly string[]): void {
      const now = options.now();
      for (const key of keys) {
        const e = entry(key) ?? { failures: 0, lastFailure: now, lockedUntil: 0 };
        e.failures += 1;
        e.lastFailure = now;
        if (e.failures >= limitOf(key)) {
          e.lockedUntil = now + options.lockoutSeconds;
          e.failures = 0;
        }
        entries.delete(key);
        entries.set(key, e);
        if (entries.size > capacity) entries.delete(entries.keys().next().value as string);
      }
    },
    succeed(key: string): void {
      entries.delete(key);
    },
  };
}
