import { randomUUID } from 'node:crypto';
import { type AIMessage, type BaseMessage, HumanMessage } from '@langchain/core/messages';
import type { Logger } from '@mcp-langgraph/observability';
import type { ApiMessage, RunResult, RunStreamEvent } from '@mcp-langgraph/protocol';
import { type AgentGraph, recursionLimitFor } from './graph.js';
import { toApiMessages } from './messages.js';
import type { AgentMetrics } from './metrics.js';
import type { ThreadLock } from './store/thread-lock.js';
import type { ThreadStore } from './store/threads.js';

/** The stream events a run reports while it goes; the route sends the closing `end` or `error` itself. */
export type RunProgress = Extract<RunStreamEvent, { event: 'metadata' | 'updates' }>;

/** The run was abandoned after the configured time; what it wrote so far stays checkpointed. */
export class RunTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the run took longer than ${timeoutMs} ms`);
    this.name = 'RunTimeoutError';
  }
}

/** Too many runs are already waiting on this thread. */
export class ThreadBusyError extends Error {
  constructor() {
    super('too many runs are waiting on this thread');
    this.name = 'ThreadBusyError';
  }
}

export interface RunServiceDeps {
  graph: AgentGraph;
  threads: ThreadStore;
  metrics: AgentMetrics;
  maxIterations: number;
  /** Runs that may wait on one thread (the running one included) before new ones are refused. */
  maxQueuedPerThread?: number;
  /** Longest one run may take before it is abandoned. */
  timeoutMs?: number;
  /** Serializes runs on a thread across replicas (PostgreSQL advisory locks); in-process only when absent. */
  threadLock?: ThreadLock;
  now?: () => Date;
}

/**
 * Runs the graph on a thread. Runs on the same thread are queued one after another in this
 * process, and with a thread lock also across replicas, so two requests never interleave their
 * steps in one checkpoint history.
 */
export function createRunService(deps: RunServiceDeps) {
  const now = deps.now ?? (() => new Date());
  const maxQueued = deps.maxQueuedPerThread ?? 8;
  const queues = new Map<string, { tail: Promise<unknown>; length: number }>();

  function serialized<T>(threadId: string, task: () => Promise<T>): Promise<T> {
    const queue = queues.get(threadId) ?? { tail: Promise.resolve(), length: 0 };
    if (queue.length >= maxQueued) return Promise.reject(new ThreadBusyError());
    queue.length++;
    const locked = deps.threadLock ? () => deps.threadLock!(threadId, task) : task;
    const next = queue.tail.then(locked, locked);
    queue.tail = next.catch(() => undefined);
    queues.set(threadId, queue);
    void queue.tail.then(() => {
      queue.length--;
      // Forget the queue once it drains so idle threads hold no memory.
      if (queue.length === 0 && queues.get(threadId) === queue) queues.delete(threadId);
    });
    return next;
  }

  async function execute(
    threadId: string,
    messages: string[],
    log: Logger,
    onEvent?: (event: RunProgress) => void,
  ): Promise<RunResult> {
    const runId = randomUUID();
    const stop = deps.metrics.runDuration.startTimer();
    const timeoutMs = deps.timeoutMs ?? 100_000;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      onEvent?.({ event: 'metadata', data: { run_id: runId, thread_id: threadId } });
      const stream = await deps.graph.stream(
        { messages: messages.map((content) => new HumanMessage(content)) },
        {
          configurable: { thread_id: threadId },
          recursionLimit: recursionLimitFor(deps.maxIterations),
          runId,
          signal,
          streamMode: ['updates', 'values'],
        },
      );
      let history: BaseMessage[] = [];
      for await (const [mode, chunk] of stream as AsyncIterable<[string, unknown]>) {
        if (mode === 'values') {
          history = (chunk as { messages: BaseMessage[] }).messages;
          continue;
        }
        for (const [node, update] of Object.entries(
          chunk as Record<string, { messages?: BaseMessage[] } | null>,
        )) {
          const added = update?.messages ?? [];
          if (added.length > 0)
            onEvent?.({ event: 'updates', data: { node, messages: toApiMessages(added) } });
        }
      }
      const last = history.at(-1);
      const answer = last?.getType() === 'ai' ? (last as AIMessage).text : '';
      await deps.threads.touch(threadId, now().toISOString(), messages[0]!);
      deps.metrics.runs.inc({ status: 'success' });
      log.info({ thread_id: threadId, run_id: runId, messages: history.length }, 'run finished');
      return {
        run_id: runId,
        thread_id: threadId,
        status: 'success',
        answer,
        messages: toApiMessages(history),
      };
    } catch (err) {
      deps.metrics.runs.inc({ status: 'error' });
      // How the abort surfaces depends on where the graph was when the signal fired; the signal knows.
      const failure = signal.aborted ? new RunTimeoutError(timeoutMs) : err;
      log.error({ err, thread_id: threadId, run_id: runId, timed_out: signal.aborted }, 'run failed');
      throw failure;
    } finally {
      stop();
    }
  }

  return {
    /** Appends the user's messages, runs the agent to its answer, and returns the whole thread. */
    run(threadId: string, messages: string[], log: Logger): Promise<RunResult> {
      return serialized(threadId, () => execute(threadId, messages, log));
    },

    /**
     * Like `run`, and reports progress while it goes: `metadata` once the run starts (after any
     * queued runs on the thread), then `updates` with the messages each graph step added.
     */
    stream(
      threadId: string,
      messages: string[],
      log: Logger,
      onEvent: (event: RunProgress) => void,
    ): Promise<RunResult> {
      return serialized(threadId, () => execute(threadId, messages, log, onEvent));
    },

    /**
     * Deletes the thread's row and checkpoints, after any run queued on it, so no run writes to a
     * deleted thread. The row goes first: once it is gone the thread is invisible even if removing
     * the checkpoints fails.
     */
    delete(threadId: string): Promise<void> {
      return serialized(threadId, async () => {
        await deps.threads.delete(threadId);
        const saver = deps.graph.checkpointer;
        if (saver && typeof saver === 'object') await saver.deleteThread(threadId);
      });
    },

    /** The thread's messages as checkpointed (empty for a thread that has not run yet). */
    async messages(threadId: string): Promise<ApiMessage[]> {
      const snapshot = await deps.graph.getState({ configurable: { thread_id: threadId } });
      const values = snapshot.values as { messages?: BaseMessage[] } | undefined;
      return toApiMessages(values?.messages ?? []);
    },
  };
}

export type RunService = ReturnType<typeof createRunService>;
