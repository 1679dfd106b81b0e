import { describeWithPostgres } from '@mcp-langgraph/db/testing';
import { hostileInputSuite } from './testing/hostile-input.js';

describeWithPostgres('hostile input on PostgreSQL (threads, checkpoints, tuples)', () => {
  hostileInputSuite({ postgres: true });
});
