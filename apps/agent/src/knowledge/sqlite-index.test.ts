import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase } from '@mcp-langgraph/db';
import type { Kysely } from 'kysely';
import { knowledgeIndexContract } from './contract.js';
import { type KnowledgeDatabase, migrateKnowledgeIndex } from './migrations.js';
import { createSqliteKnowledgeIndex } from './sqlite-index.js';

knowledgeIndexContract('SQLite FTS5', {
  async open(options) {
    const dir = mkdtempSync(join(tmpdir(), 'knowledge-sqlite-'));
    const database = createDatabase<KnowledgeDatabase>({ sqlitePath: join(dir, 'agent.db') });
    await migrateKnowledgeIndex(database);
    const db = database.db as Kysely<KnowledgeDatabase>;
    const index = createSqliteKnowledgeIndex(db, options);
    return {
      index,
      async replica(replicaOptions) {
        return createSqliteKnowledgeIndex(db, replicaOptions);
      },
      async close() {
        await index.close();
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});
