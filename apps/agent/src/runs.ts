import { randomUUID } from 'node:crypto';
import type { Logger } from '@mcp-langgraph/observability';
import { AppError, notFound } from '@mcp-langgraph/observability';
import type { MultitaskStrategy, RunCreateBody, RunResult } from '@mcp-langgraph/protocol';
import { GRAPH_ID } from '@mcp-langgraph/protocol';
import { resolveAssistant } from './assistant.js';
import type { AgentGraph } from './graph.js';
import { firstHumanText, plain, serialise } from './messages.js';
import type { AgentMetrics } from './metrics.js';
import type { RunEvents, StoredEvent } from './run-events.js';
import { executeRun } from './run-execution.js';
import type { CancelAction, NewRun, RunKwargs, RunRecord, RunStore } from './store/runs.js';
import type { ThreadLock } from './store/thread-lock.js';
import type { Thread, ThreadStore } from './store/threads.js';
import type { CheckpointOps } from './thread-checkpoints.js';
import type { ThreadLifecycle } from './thread-lifecycle.js';
import { createRunWorker, type RunOutcome, type StopReason } from './worker.js';

export interface RunServiceDeps {
  graph: AgentGraph;
  store: RunStore;
  threads: ThreadStore;
  lifecycle: ThreadLifecycle;
  events: RunEvents;
  checkpoints: CheckpointOps;
  metrics: AgentMetrics;
  logger: Logger;
  maxIterations: number;
  /** Runs that may be active on one thread (the running one included) before new ones are refused. */
  maxQueuedPerThread?: number;
  timeoutMs: number;
  /** With PostgreSQL: a thread's runs also hold its advisory lock while they execute. */
  threadLock?: ThreadLock | undefined;
  /** SQLite: one process owns the store, so runs found running at start are taken at once. */
  reclaimOnStart: boolean;
  leaseMs?: number;
  workerPollMs?: number;
  concurrency?: number;
  now?: () => Date;
}

const busy = (message: string) => new AppError(409, 'thread_busy', message, { 'Retry-After': '2' });

/** The error a failed run reports (stream `error` event, `__error__` of `runs/wait` and `join`). */
function runError(status: string): { error: string; message: string } {
  if (status === 'timeout')
    return { error: 'run_timeout', message: 'the run took longer than the agent allows' };
  return { error: 'run_failed', message: 'the agent could not complete the run' };
}

/**
 * Durable runs. Creating one commits it (input and all) to the store before the caller hears
 * of it; the in-process worker (any replica's, with PostgreSQL) executes it, writes its events
 * for every reader, and records the outcome. Everything a route does with runs goes through here.
 */
export function createRunService(deps: RunServiceDeps) {
  const now = deps.now ?? (() => new Date());
  const maxQueued = deps.maxQueuedPerThread ?? 8;
  let lastCreated = 0;
  // Runs of one thread are ordered by creation time: never two with the same instant from here.
  const createdAt = () => {
    lastCreated = Math.max(now().getTime(), lastCreated + 1);
    return new Date(lastCreated).toISOString();
  };

  const isOver = (runId: string) => async () => {
    const run = await deps.store.get(runId);
    return !run || (run.status !== 'pending' && run.status !== 'running');
  };

  async function publishNext(runId: string, event: string, data: unknown): Promise<void> {
    const seq = (await deps.store.lastSeq(runId)) + 1;
    await deps.events.publish(runId, seq, event, serialise(data));
  }

  async function execute(run: RunRecord, signal: AbortSignal): Promise<RunOutcome> {
    let seq = await deps.store.lastSeq(run.runId);
    const emit = async ({ event, data }: { event: string; data: unknown }) => {
      seq += 1;
      await deps.events.publish(run.runId, seq, event, serialise(data));
    };
    try {
      const done = await executeRun(
        { graph: deps.graph, maxIterations: deps.maxIterations, setBase: deps.store.setBase },
        run,
        signal,
        emit,
      );
      return { status: 'success', thread: done.thread };
    } catch (err) {
      const reason = signal.aborted ? (signal.reason as StopReason) : undefined;
      if (!reason || reason === 'timeout') await emit({ event: 'error', data: runError(reason ?? 'error') });
      throw err;
    }
  }

  /** What the worker does once a run ended: undo a rollback, record the end, tidy the thread. */
  async function afterRun(run: RunRecord, outcome: RunOutcome): Promise<void> {
    const at = now().toISOString();
    const current = await deps.store.get(run.runId);
    const rollback = current?.cancel === 'rollback';
    if (rollback) await restore(run);
    const recorded = await deps.store.finish(run, worker.id, { ...outcome, at });
    if (!recorded) return;
    await publishNext(run.runId, 'end', null);
    const messages = (run.kwargs.input as { messages?: [] } | null)?.messages;
    await deps.threads.touch(run.threadId, at, messages ? firstHumanText(messages) : undefined);
    await deps.checkpoints.prune(run.threadId);
    if (rollback) await deps.store.delete(run.runId);
    if (run.kwargs.temporary) {
      const thread = await deps.threads.get(run.threadId);
      if (thread) await deps.lifecycle.remove(thread, deps.logger);
    }
    worker.wake();
  }

  /** Puts the thread back where the run found it: a copy of its base checkpoint becomes the latest. */
  async function restore(run: RunRecord): Promise<void> {
    const base = (await deps.store.get(run.runId))?.baseCheckpoint;
    if (!base) {
      await deps.checkpoints.saver.deleteThread(run.threadId);
      return;
    }
    await deps.graph.updateState(
      { configurable: { thread_id: run.threadId, checkpoint_id: base } },
      undefined,
      '__copy__',
    );
  }

  const worker = createRunWorker({
    store: deps.store,
    metrics: deps.metrics,
    logger: deps.logger,
    execute,
    afterRun,
    timeoutMs: deps.timeoutMs,
    threadLock: deps.threadLock,
    reclaimOnStart: deps.reclaimOnStart,
    leaseMs: deps.leaseMs,
    pollMs: deps.workerPollMs,
    concurrency: deps.concurrency,
    now: deps.now,
  });

  async function cancel(run: RunRecord, action: CancelAction): Promise<void> {
    const before = await deps.store.cancel(run.runId, action, now().toISOString());
    if (before?.status === 'pending') {
      await publishNext(run.runId, 'end', null);
      worker.wake();
    } else if (before?.status === 'running') worker.cancel(run.runId, action);
  }

  return {
    worker,
    start: () => worker.start(),
    stop: () => worker.stop(),

    /**
     * Queues a run on `thread`, committed before this returns. `reject` (the default) refuses it
     * with 409 while another run is active; `interrupt` and `rollback` cancel the active runs
     * that way and queue behind them; `enqueue` queues. A full queue is a 409 whatever the strategy.
     */
    async create(
      thread: Thread,
      body: RunCreateBody,
      options: { temporary: boolean; log: Logger; caller: string; traceparent?: string | undefined },
    ): Promise<RunRecord> {
      const assistant = resolveAssistant(body.assistant_id);
      if (!assistant) throw notFound('no such assistant');
      const strategy: MultitaskStrategy = body.multitask_strategy ?? 'reject';
      const streamMode =
        body.stream_mode == null
          ? ['values']
          : Array.isArray(body.stream_mode)
            ? [...body.stream_mode]
            : [body.stream_mode];
      const config = body.config ?? {};
      const kwargs: RunKwargs = {
        input: body.input ?? null,
        command: (body.command as Record<string, unknown> | null | undefined) ?? null,
        config: {
          ...(config.tags ? { tags: config.tags } : {}),
          ...(config.recursion_limit ? { recursion_limit: config.recursion_limit } : {}),
          ...(config.configurable ? { configurable: config.configurable } : {}),
        },
        context: body.context ?? null,
        stream_mode: streamMode.length > 0 ? streamMode : ['values'],
        subgraphs: body.stream_subgraphs ?? false,
        resumable: body.stream_resumable ?? false,
        interrupt_before: body.interrupt_before ?? null,
        interrupt_after: body.interrupt_after ?? null,
        temporary: options.temporary,
        caller: options.caller,
        ...(options.traceparent ? { traceparent: options.traceparent } : {}),
        checkpoint_id: body.checkpoint_id ?? body.checkpoint?.checkpoint_id ?? null,
      };
      const run: NewRun = {
        runId: randomUUID(),
        threadId: thread.threadId,
        assistantId: assistant.assistant_id,
        metadata: body.metadata ?? {},
        kwargs,
        multitaskStrategy: strategy,
        createdAt: createdAt(),
      };
      const result = await deps.store.enqueue(run, maxQueued, {
        graph_id: GRAPH_ID,
        assistant_id: assistant.assistant_id,
      });
      if ('refused' in result)
        throw result.refused === 'inflight'
          ? busy('the thread is already running a run; wait for it or choose another multitask_strategy')
          : busy('too many runs are waiting on this thread; retry later');
      if (strategy === 'interrupt' || strategy === 'rollback')
        for (const other of result.inflight) await cancel(other, strategy);
      options.log.info({ thread_id: thread.threadId, run_id: run.runId, strategy }, 'run queued');
      worker.wake();
      return result.run;
    },

    /** The run if it belongs to `threadId`. */
    async get(threadId: string, runId: string): Promise<RunRecord | undefined> {
      const run = await deps.store.get(runId);
      return run && run.threadId === threadId ? run : undefined;
    },

    list: deps.store.list,
    cancel,
    active: deps.store.active,
    activeThreads: deps.store.activeThreads,

    /** Deletes a finished run; 409 while it is active. */
    async delete(run: RunRecord): Promise<void> {
      if (!(await deps.store.delete(run.runId))) throw busy('the run is still active; cancel it first');
    },

    /** Resolves when the run has ended (or `signal` aborts). */
    waitForEnd: (runId: string, signal?: AbortSignal) => deps.events.waitFor(runId, isOver(runId), signal),

    /** The run's stream events after `afterId`, until its end. */
    events: (runId: string, afterId: number, signal?: AbortSignal): AsyncGenerator<StoredEvent> =>
      deps.events.read(runId, afterId, isOver(runId), signal),

    /**
     * What `runs/wait` and `join` answer once the run ended: `__error__` when it failed, else the
     * last `values` it streamed (as the platform does; a temporary thread is gone by then), else
     * the thread's values now.
     */
    async result(run: RunRecord): Promise<RunResult> {
      const error = await deps.store.lastEvent(run.runId, 'error');
      if (error !== undefined) return { __error__: JSON.parse(error) as { error: string; message: string } };
      const streamed = await deps.store.lastEvent(run.runId, 'values');
      const values = streamed === undefined ? undefined : (JSON.parse(streamed) as RunResult);
      // A run stopped at a breakpoint streams `{__interrupt__}` last: the values are the thread's.
      if (values && !('__interrupt__' in values)) return values;
      const state = await deps.graph.getState({ configurable: { thread_id: run.threadId } });
      return { ...(plain<RunResult>(state.values ?? {}) ?? {}), ...(values ?? {}) };
    },

    /**
     * Deletes a thread: its active runs are cancelled and allowed to stop first (so none writes
     * to a deleted thread), then the row, runs, checkpoints and tuples go.
     */
    async deleteThread(thread: Thread, log: Logger): Promise<void> {
      for (const run of await deps.store.active(thread.threadId)) {
        await cancel(run, 'interrupt');
        await deps.events.waitFor(run.runId, isOver(run.runId), AbortSignal.timeout(10_000));
      }
      await deps.lifecycle.remove(thread, log);
    },
  };
}

export type RunService = ReturnType<typeof createRunService>;
