import { createDatabase, migrateToLatest } from '@mcp-langgraph/db';
import type { Kysely } from 'kysely';
import { AUTH_MIGRATION_TABLE, authMigrations } from './migrations.js';
import { createRateLimitStore } from './rate-limits.js';
import type { AuthDB } from './schema.js';

describe('rate-limit windows', () => {
  it('count hits per key until the window has passed, then start again', async () => {
    const d = createDatabase<AuthDB>({ sqlitePath: ':memory:' });
    try {
      await migrateToLatest(d.db as Kysely<unknown>, authMigrations, AUTH_MIGRATION_TABLE);
      let now = 1000;
      const limits = createRateLimitStore(d.db, () => now);
      expect(await limits.hit('a', 60)).toEqual({ count: 1, resetAt: 1060 });
      now = 1059;
      expect(await limits.hit('a', 60)).toEqual({ count: 2, resetAt: 1060 });
      expect((await limits.hit('b', 60)).count).toBe(1);
      now = 1060;
      expect(await limits.hit('a', 60)).toEqual({ count: 1, resetAt: 1120 });
      await limits.purgeExpired(1060);
      const keys = (await d.db.selectFrom('rate_limits').select('key').execute()).map((r) => r.key);
      expect(keys).toEqual(['a']);
    } finally {
      await d.close();
    }
  });
});
