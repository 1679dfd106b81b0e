import { tool } from '@langchain/core/tools';
import { createDatabase, migrateToLatest } from '@mcp-langgraph/db';
import { createLogger, createMetrics } from '@mcp-langgraph/observability';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { createSqliteCheckpointer } from './checkpointer.js';
import { createAgentGraph } from './graph.js';
import { createAgentMetrics } from './metrics.js';
import { OfflineChatModel } from './model/offline.js';
import { createRunService } from './runs.js';
import { MIGRATION_TABLE, migrations } from './store/migrations.js';
import { type AgentDatabase, createThreadStore } from './store/threads.js';
import { evaluateExpression, formatNumber } from './tools/expression.js';

describe('run service', () => {
  const database = createDatabase<AgentDatabase>({ sqlitePath: ':memory:' });
  const checkpointer = createSqliteCheckpointer(':memory:');
  const log = createLogger({ service: 'agent', level: 'silent' });
  const threads = createThreadStore(database.db);
  const registry = createMetrics('agent', { defaultMetrics: false }).registry;
  const metrics = createAgentMetrics(registry);

  // A calculator that takes a while, so overlapping runs would interleave without the per-thread queue.
  const slowCalculator = tool(
    async ({ expression }) => {
      await new Promise((r) => setTimeout(r, 15));
      return formatNumber(evaluateExpression(expression));
    },
    { name: 'calculator', description: 'slow calculator', schema: z.object({ expression: z.string() }) },
  );
  const graph = createAgentGraph({
    model: new OfflineChatModel(),
    tools: [slowCalculator],
    checkpointer: checkpointer.saver,
    maxIterations: 4,
  });
  const runs = createRunService({
    graph,
    threads,
    metrics,
    maxIterations: 4,
    now: () => new Date('2026-01-02T03:04:05Z'),
  });

  beforeAll(async () => {
    await migrateToLatest(database.db as unknown as Kysely<unknown>, migrations, MIGRATION_TABLE);
    await threads.create(
      {
        threadId: '00000000-0000-4000-8000-000000000001',
        owner: 'user:a',
        title: null,
        metadata: {},
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
      },
      async () => {},
    );
  });
  afterAll(async () => {
    await checkpointer.close();
    await database.close();
  });

  it('queues concurrent runs on one thread so each sees the previous one’s history', async () => {
    const id = '00000000-0000-4000-8000-000000000001';
    const results = await Promise.all([1, 2, 3].map((n) => runs.run(id, [`What is ${n} * 10?`], log)));
    expect(results.map((r) => r.answer)).toEqual(['1 * 10 = 10.', '2 * 10 = 20.', '3 * 10 = 30.']);
    expect(results.map((r) => r.messages.length)).toEqual([4, 8, 12]);
    const history = await runs.messages(id);
    expect(history.filter((m) => m.role === 'user').map((m) => m.content)).toEqual([
      'What is 1 * 10?',
      'What is 2 * 10?',
      'What is 3 * 10?',
    ]);
    const thread = await threads.get(id);
    expect(thread).toMatchObject({ title: 'What is 1 * 10?', updatedAt: '2026-01-02T03:04:05.000Z' });
  });

  it('counts failed runs and keeps the queue moving after a failure', async () => {
    const before = (await metrics.runs.get()).values.find((v) => v.labels.status === 'error')?.value ?? 0;
    const broken = createRunService({
      graph: {
        invoke: async () => {
          throw new Error('model unavailable');
        },
      } as unknown as typeof graph,
      threads,
      metrics,
      maxIterations: 4,
    });
    const id = '00000000-0000-4000-8000-000000000001';
    await expect(broken.run(id, ['hi'], log)).rejects.toThrow('model unavailable');
    await expect(broken.run(id, ['hi'], log)).rejects.toThrow('model unavailable');
    const after = (await metrics.runs.get()).values.find((v) => v.labels.status === 'error')?.value ?? 0;
    expect(after - before).toBe(2);
  });
});
