import { type Kysely, sql } from 'kysely';
import { type AuthDB, num } from './schema.js';

export type RateLimitStore = ReturnType<typeof createRateLimitStore>;

/** A counted hit: how many hits the key has in the current window, and when the window ends. */
export interface RateCount {
  count: number;
  resetAt: number;
}

/**
 * Fixed-window counters in the shared store, so every replica counts the same hits. One atomic
 * upsert per hit: a key whose window has passed starts again at one.
 */
export function createRateLimitStore(db: Kysely<AuthDB>, now: () => number) {
  return {
    async hit(key: string, windowSeconds: number): Promise<RateCount> {
      const t = now();
      const fresh = t - windowSeconds;
      const row = await db
        .insertInto('rate_limits')
        .values({ key, window_start: t, count: 1 })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            count: sql<number>`case when rate_limits.window_start <= ${fresh} then 1 else rate_limits.count + 1 end`,
            window_start: sql<number>`case when rate_limits.window_start <= ${fresh} then ${t} else rate_limits.window_start end`,
          }),
        )
        .returning(['count', 'window_start'])
        .executeTakeFirstOrThrow();
      return { count: Number(row.count), resetAt: num(row.window_start) + windowSeconds };
    },
    async purgeExpired(before: number): Promise<void> {
      await db.deleteFrom('rate_limits').where('window_start', '<', before).execute();
    },
  };
}
