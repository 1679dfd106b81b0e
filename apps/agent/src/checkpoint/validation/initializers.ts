import type { CheckpointSaverTestInitializer } from '@langchain/langgraph-checkpoint-validation';
import { createDatabase, type Database } from '@mcp-langgraph/db';
import { createTestSchema, TEST_DATABASE_URL } from '@mcp-langgraph/db/testing';
import { AgentCheckpointSaver } from '../saver.js';
import type { CheckpointDatabase } from '../schema.js';
import { openCheckpointFile } from '../sqlite.js';

/** The suites the validation package runs for each of our savers. */
export type ValidationTarget = 'sqlite' | 'postgres';

interface Opened {
  database: Database<CheckpointDatabase>;
  drop?: () => Promise<void>;
}

/**
 * Initializers for `@langchain/langgraph-checkpoint-validation`: every checkpointer it asks for
 * starts empty (a fresh in-memory SQLite database, or a fresh PostgreSQL schema), because its
 * list cases count every checkpoint the saver holds.
 */
export function initializerFor(
  target: ValidationTarget,
): CheckpointSaverTestInitializer<AgentCheckpointSaver> {
  const opened = new Map<AgentCheckpointSaver, Opened>();
  return {
    checkpointerName: `AgentCheckpointSaver (${target})`,
    async createCheckpointer() {
      if (target === 'sqlite') {
        const database = openCheckpointFile(':memory:');
        const saver = new AgentCheckpointSaver(database.db, { dialect: 'sqlite' });
        opened.set(saver, { database });
        return saver;
      }
      const schema = await createTestSchema();
      const database = createDatabase<CheckpointDatabase>({ url: TEST_DATABASE_URL, schema: schema.schema });
      const saver = new AgentCheckpointSaver(database.db, { dialect: 'postgres', schema: schema.schema });
      opened.set(saver, { database, drop: schema.drop });
      return saver;
    },
    async destroyCheckpointer(saver) {
      const o = opened.get(saver);
      opened.delete(saver);
      await o?.database.close();
      await o?.drop?.();
    },
  };
}
