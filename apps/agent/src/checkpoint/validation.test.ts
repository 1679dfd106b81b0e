import { itPassesTheValidationSuite } from './validation/expect-pass.js';

describe('@langchain/langgraph-checkpoint-validation on the SQLite saver', () => {
  itPassesTheValidationSuite('sqlite', 120_000);
});
