/**
 * Checkpoint storage growth (bytes at turns 1, 50, 100 and 200 of one conversation, SQLite and
 * PostgreSQL) and the per-step overhead of each checkpointer against plain function calls. The
 * measurement lives beside the saver it measures: `apps/agent/src/checkpoint/storage.bench.ts`.
 */
export { run } from '../apps/agent/src/checkpoint/storage.bench.js';
