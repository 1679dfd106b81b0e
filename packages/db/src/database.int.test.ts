import { sql } from 'kysely';
import { createDatabase } from './database.js';
import { createTestSchema, describeWithPostgres, TEST_DATABASE_URL } from './testing.js';

describe('sqlite store', () => {
  it('opens an in-memory database and answers queries', async () => {
    const d = createDatabase({ sqlitePath: ':memory:' });
    const r = await sql<{ n: number }>`select 1 + 1 as n`.execute(d.db);
    expect(r.rows[0]?.n).toBe(2);
    await d.ping();
    await d.close();
  });
});

describeWithPostgres('postgres store', () => {
  it('connects inside an isolated schema', async () => {
    const s = await createTestSchema();
    const d = createDatabase({ url: TEST_DATABASE_URL, schema: s.schema });
    try {
      const r = await sql<{ schema: string }>`select current_schema() as schema`.execute(d.db);
      expect(r.rows[0]?.schema).toBe(s.schema);
      await d.ping();
    } finally {
      await d.close();
      await s.drop();
    }
  });
});
