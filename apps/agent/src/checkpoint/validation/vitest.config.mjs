// The validation package's spec functions are vitest suites; this runs them on our saver's sources.
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

export default {
  root: here,
  resolve: { conditions: ['development'] },
  ssr: { resolve: { conditions: ['development'] } },
  test: {
    include: ['suite.spec.ts'],
    globals: true,
    environment: 'node',
    testTimeout: 30000,
    hookTimeout: 60000,
    // One file; the PostgreSQL schemas are per checkpointer, so nothing needs isolating.
    fileParallelism: false,
    server: { deps: { inline: [/@mcp-langgraph\//, /langgraph-checkpoint-validation/] } },
  },
};
