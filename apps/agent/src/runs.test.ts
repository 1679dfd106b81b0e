import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { AIMessage, BaseMessage, ToolMessage } from '@langchain/core/messages';
import { type StructuredToolInterface, tool } from '@langchain/core/tools';
import { createDatabase, migrateToLatest } from '@mcp-langgraph/db';
import { createLogger, createMetrics } from '@mcp-langgraph/observability';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { createSqliteCheckpointer } from './checkpointer.js';
import { createAgentGraph } from './graph.js';
import { createAgentMetrics } from './metrics.js';
import { OfflineChatModel } from './model/offline.js';
import { createRunService, type RunServiceDeps, RunTimeoutError, ThreadBusyError } from './runs.js';
import { MIGRATION_TABLE, migrations } from './store/migrations.js';
import { type AgentDatabase, createThreadStore } from './store/threads.js';
import { evaluateExpression, formatNumber } from './tools/expression.js';

/** Refuses histories with unanswered tool calls, as hosted providers do. */
class StrictModel extends OfflineChatModel {
  override async _generate(messages: BaseMessage[], options: this['ParsedCallOptions']) {
    const answered = new Set(
      messages.filter((m) => m.getType() === 'tool').map((m) => (m as ToolMessage).tool_call_id),
    );
    for (const m of messages)
      for (const call of (m as AIMessage).tool_calls ?? [])
        if (!answered.has(call.id ?? '')) throw new Error(`tool call ${call.id} has no result`);
    return super._generate(messages, options);
  }
}

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
  /** A run service over its own graph of `model` and `calculator`, on the shared stores. */
  const runServiceWith = (
    model: BaseChatModel,
    calculator: StructuredToolInterface,
    options: Partial<RunServiceDeps> = {},
  ) =>
    createRunService({
      graph: createAgentGraph({
        model,
        tools: [calculator],
        checkpointer: checkpointer.saver,
        maxIterations: 4,
      }),
      threads,
      metrics,
      maxIterations: 4,
      ...options,
    });
  const createThread = (threadId: string) =>
    threads.create(
      { threadId, owner: 'user:a', title: null, metadata: {}, createdAt: 'x', updatedAt: 'x' },
      async () => {},
    );

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

  it('runs inside the thread lock when one is configured', async () => {
    const locked: string[] = [];
    const withLock = createRunService({
      graph,
      threads,
      metrics,
      maxIterations: 4,
      threadLock: async (threadId, task) => {
        locked.push(threadId);
        return task();
      },
    });
    const id = '00000000-0000-4000-8000-000000000001';
    const r = await withLock.run(id, ['What is 4 * 10?'], log);
    expect(r.answer).toBe('4 * 10 = 40.');
    expect(locked).toEqual([id]);
  });

  it('counts failed runs and keeps the queue moving after a failure', async () => {
    const before = (await metrics.runs.get()).values.find((v) => v.labels.status === 'error')?.value ?? 0;
    class UnavailableModel extends OfflineChatModel {
      override async _generate(): Promise<never> {
        throw new Error('model unavailable');
      }
    }
    const broken = runServiceWith(new UnavailableModel(), slowCalculator);
    const id = '00000000-0000-4000-8000-000000000001';
    await expect(broken.run(id, ['hi'], log)).rejects.toThrow('model unavailable');
    await expect(broken.run(id, ['hi'], log)).rejects.toThrow('model unavailable');
    const after = (await metrics.runs.get()).values.find((v) => v.labels.status === 'error')?.value ?? 0;
    expect(after - before).toBe(2);
  });

  it('abandons a run that takes too long, and the thread stays usable', async () => {
    const id = '00000000-0000-4000-8000-000000000002';
    await createThread(id);
    let release: () => void = () => {};
    const hanging = tool(
      ({ expression }) =>
        new Promise<string>((resolve) => {
          release = () => resolve(formatNumber(evaluateExpression(expression)));
        }),
      { name: 'calculator', description: 'waits forever', schema: z.object({ expression: z.string() }) },
    );
    const stuck = runServiceWith(new OfflineChatModel(), hanging, { timeoutMs: 50 });
    await expect(stuck.run(id, ['What is 5 * 5?'], log)).rejects.toThrow(RunTimeoutError);
    release();
    // The interrupted tool call is still unanswered in the checkpoint; the next run must cope with it.
    const interrupted = await runs.messages(id);
    expect(interrupted.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(interrupted[1]!.tool_calls).toHaveLength(1);

    const strict = runServiceWith(new StrictModel(), slowCalculator);
    const next = await strict.run(id, ['What is 6 * 6?'], log);
    expect(next.answer).toBe('6 * 6 = 36.');
    expect(next.messages.map((m) => m.role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
      'tool',
      'assistant',
    ]);
  });

  it('refuses new runs while too many wait on one thread, then accepts again', async () => {
    const id = '00000000-0000-4000-8000-000000000003';
    await createThread(id);
    const small = createRunService({ graph, threads, metrics, maxIterations: 4, maxQueuedPerThread: 2 });
    const outcomes = await Promise.allSettled(
      [1, 2, 3].map((n) => small.run(id, [`What is ${n} + 1?`], log)),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(ThreadBusyError);
    // Once the queue drains the thread takes runs again.
    const later = await small.run(id, ['What is 9 + 1?'], log);
    expect(later.answer).toBe('9 + 1 = 10.');
    expect(later.messages.filter((m) => m.role === 'user')).toHaveLength(3);
  });
});
