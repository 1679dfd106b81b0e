import { type Kysely, sql } from 'kysely';
import { type AuthDB, num } from '../store/schema.js';

export interface LoginThrottleOptions {
  /** Per client address, failed sign-ins before a temporary lockout are three times this. */
  maxFailures: number;
  /** How long an address stays locked out; a key quiet this long is forgotten. */
  lockoutSeconds: number;
  /** First delay once failures pile up; it doubles with each further failure. */
  baseDelayMs: number;
  /** The longest delay, however many failures an account or address has. */
  maxDelayMs: number;
  now: () => number;
}

/** What a sign-in attempt may do: refused while locked, else answered after `delayMs`. */
export interface Gate {
  locked: boolean;
  delayMs: number;
  retryAfter: number;
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

const FREE_FAILURES = 3;

/**
 * Throttles password guessing per account (`acct:` keys) and per client address (`ip:` keys).
 * Each attempt is counted as a failure *before* the password is checked (and taken back on
 * success), atomically in the shared store, so neither parallel requests nor several replicas let
 * a guesser past the limits. After a few failures answers are delayed, doubling per failure up to
 * a cap. An address that keeps failing is then locked out for a while; an account never is, since
 * anyone can type its name: a lockout would let strangers keep its owner out (the right password
 * still gets in, after the delay). A key quiet for a lockout period is forgotten.
 */
export function createLoginThrottle(db: Kysely<AuthDB>, options: LoginThrottleOptions) {
  const lockLimitOf = (key: string) =>
    key.startsWith('ip:') ? options.maxFailures * 3 : Number.POSITIVE_INFINITY;
  const now = () => Math.floor(options.now());

  /** Adds one failure to `key` and returns the count and lock as they stand afterwards. */
  async function increment(key: string, t: number): Promise<{ failures: number; lockedUntil: number }> {
    const quietSince = t - options.lockoutSeconds;
    for (let attempt = 0; attempt < 3; attempt++) {
      const row = await db
        .updateTable('login_throttle')
        .set({
          failures: sql<number>`case when last_failure < ${quietSince} and locked_until <= ${t} then 1 else failures + 1 end`,
          last_failure: t,
        })
        .where('key', '=', key)
        .returning(['failures', 'locked_until'])
        .executeTakeFirst();
      if (row) return { failures: Number(row.failures), lockedUntil: num(row.locked_until) };
      try {
        await db
          .insertInto('login_throttle')
          .values({ key, failures: 1, last_failure: t, locked_until: 0 })
          .execute();
        return { failures: 1, lockedUntil: 0 };
      } catch {
        // Another request inserted the key first; count on its row.
      }
    }
    throw new Error('login throttle could not record the attempt');
  }

  return {
    /** Counts an attempt for every key and says whether (and when) it may be answered. */
    async attempt(keys: readonly string[]): Promise<Gate> {
      const t = now();
      let delayMs = 0;
      let retryAfter = 0;
      for (const key of keys) {
        const { failures, lockedUntil } = await increment(key, t);
        if (lockedUntil > t) {
          retryAfter = Math.max(retryAfter, lockedUntil - t);
          continue;
        }
        if (failures > lockLimitOf(key)) {
          const until = t + options.lockoutSeconds;
          await db
            .updateTable('login_throttle')
            .set({ locked_until: until, failures: 0 })
            .where('key', '=', key)
            .execute();
          retryAfter = Math.max(retryAfter, options.lockoutSeconds);
          continue;
        }
        const earlier = failures - 1 - FREE_FAILURES;
        if (earlier >= 0)
          delayMs = Math.max(delayMs, Math.min(options.baseDelayMs * 2 ** earlier, options.maxDelayMs));
      }
      return { locked: retryAfter > 0, delayMs, retryAfter };
    },

    /** A successful sign-in: the account starts afresh and the address gets its attempt back. */
    async succeed(accountKey: string, addressKey: string): Promise<void> {
      await db.deleteFrom('login_throttle').where('key', '=', accountKey).execute();
      await db
        .updateTable('login_throttle')
        .set({ failures: sql<number>`case when failures > 0 then failures - 1 else 0 end` })
        .where('key', '=', addressKey)
        .execute();
    },

    async purgeExpired(before: number): Promise<void> {
      await db
        .deleteFrom('login_throttle')
        .where('last_failure', '<', before)
        .where('locked_until', '<', before)
        .execute();
    },
  };
}
