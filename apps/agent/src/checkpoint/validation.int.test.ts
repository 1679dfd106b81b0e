import { describeWithPostgres } from '@mcp-langgraph/db/testing';
import { itPassesTheValidationSuite } from './validation/expect-pass.js';

describeWithPostgres('@langchain/langgraph-checkpoint-validation on the PostgreSQL saver', () => {
  itPassesTheValidationSuite('postgres', 180_000);
});
