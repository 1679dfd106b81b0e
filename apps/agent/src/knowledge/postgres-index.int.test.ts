import { createDatabase } from '@mcp-langgraph/db';
import { createTestSchema, describeWithPostgres, TEST_DATABASE_URL } from '@mcp-langgraph/db/testing';
import { knowledgeIndexContract } from './contract.js';
import { type KnowledgeDatabase, migrateKnowledgeIndex } from './migrations.js';
import { createPostgresKnowledgeIndex } from './postgres-index.js';

describeWithPostgres('PostgreSQL full-text search', () => {
  knowledgeIndexContract('PostgreSQL', {
    async open(options) {
      const schema = await createTestSchema();
      const connect = () =>
        createDatabase<KnowledgeDatabase>({ url: TEST_DATABASE_URL, schema: schema.schema });
      const database = connect();
      await migrateKnowledgeIndex(database, schema.schema);
      const index = createPostgresKnowledgeIndex(database.db, options);
      const replicas: Array<ReturnType<typeof connect>> = [];
      return {
        index,
        async replica(replicaOptions) {
          const other = connect();
          replicas.push(other);
          return createPostgresKnowledgeIndex(other.db, replicaOptions);
        },
        async close() {
          await index.close();
          for (const other of replicas) await other.close();
          await database.close();
          await schema.drop();
        },
      };
    },
  });
});
