import { createDatabase } from '@mcp-langgraph/db';
import { createTestSchema, describeWithPostgres, TEST_DATABASE_URL } from '@mcp-langgraph/db/testing';
import { createPostgresCheckpointer } from '../checkpointer.js';
import { AgentCheckpointSaver } from './saver.js';
import type { CheckpointDatabase } from './schema.js';
import { message, putMessages, textsOf } from './testing/contract.js';
import { describeSaverContract } from './testing/suite.js';

describeWithPostgres('checkpoints on PostgreSQL', () => {
  describeSaverContract('PostgreSQL', async () => {
    const schema = await createTestSchema();
    const database = createDatabase<CheckpointDatabase>({ url: TEST_DATABASE_URL, schema: schema.schema });
    const saver = new AgentCheckpointSaver(database.db, { dialect: 'postgres', schema: schema.schema });
    return {
      saver,
      async close() {
        await database.close();
        await schema.drop();
      },
    };
  });

  it('migrates once when several replicas start together, and they share the threads', async () => {
    const schema = await createTestSchema();
    try {
      const replicas = await Promise.all(
        [1, 2, 3].map(() => createPostgresCheckpointer(TEST_DATABASE_URL, schema.schema)),
      );
      await putMessages(replicas[0]!.saver, { configurable: { thread_id: 't' } }, [message.human('shared')]);
      const seen = await replicas[2]!.saver.getTuple({ configurable: { thread_id: 't' } });
      expect(textsOf(seen)).toEqual(['shared']);
      for (const r of replicas) await r.close();
    } finally {
      await schema.drop();
    }
  });
});
