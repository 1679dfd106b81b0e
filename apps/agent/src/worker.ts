import { randomUUID } from 'node:crypto';
import type { Logger } from '@mcp-langgraph/observability';
import type { RunStatus, ThreadStatus } from '@mcp-langgraph/protocol';
import type { AgentMetrics } from './metrics.js';
import type { CancelAction, RunRecord, RunStore } from './store/runs.js';
import type { ThreadLock } from './store/thread-lock.js';

/** What became of a run the worker executed. */
export interface RunOutcome {
  status: RunStatus;
  thread: ThreadStatus;
  /** Short reason kept with the run (never a provider's message). */
  error?: string;
}

/** Why a worker stops a run before its end. */
export type StopReason = CancelAction | 'timeout' | 'lost' | 'shutdown';

export interface WorkerDeps {
  store: RunStore;
  metrics: AgentMetrics;
  logger: Logger;
  /** Executes one run; `signal` aborts with a {@link StopReason}. */
  execute(run: RunRecord, signal: AbortSignal): Promise<RunOutcome>;
  /** Called after each run ends (whatever its outcome), with the run as it was taken. */
  afterRun?(run: RunRecord, outcome: RunOutcome): Promise<void>;
  /**
   * Serialises a thread's runs across replicas (PostgreSQL advisory locks) as a second guard
   * beside the store's one-active-run-per-thread rule.
   */
  threadLock?: ThreadLock | undefined;
  /** Runs this process executes at once. */
  concurrency?: number;
  /** How long a taken run stays this worker's without a heartbeat. */
  leaseMs?: number;
  /** How often a quiet worker looks for runs other replicas queued (local runs wake it at once). */
  pollMs?: number;
  timeoutMs: number;
  /** SQLite has one process: runs it finds running were left by its previous life and are taken at once. */
  reclaimOnStart: boolean;
  now?: () => Date;
}

/**
 * The run worker inside the agent process. It takes runs from the store (the oldest runnable run
 * of any thread, one per thread at a time), holds each with a lease it renews by heartbeat,
 * stops a run when it is cancelled (the heartbeat reads the request, so a cancel on any replica
 * reaches it), times out or loses its lease, and records the outcome. A run whose worker died
 * keeps its `running` status until the lease lapses; then any worker takes it again.
 */
export function createRunWorker(deps: WorkerDeps) {
  const id = `worker-${randomUUID()}`;
  const now = deps.now ?? (() => new Date());
  const concurrency = deps.concurrency ?? 4;
  const leaseMs = deps.leaseMs ?? 30_000;
  const pollMs = deps.pollMs ?? 1000;
  const running = new Map<string, AbortController>();
  const settled = new Set<Promise<void>>();
  let stopped = true;
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  const leaseFrom = (at: Date) => new Date(at.getTime() + leaseMs).toISOString();

  async function process(run: RunRecord): Promise<void> {
    const controller = new AbortController();
    running.set(run.runId, controller);
    const stop = (reason: StopReason) => {
      if (!controller.signal.aborted) controller.abort(reason);
    };
    const heartbeat = setInterval(
      () => {
        deps.store.heartbeat(run.runId, id, leaseFrom(now())).then(
          ({ lost, cancel }) => {
            if (lost) stop('lost');
            else if (cancel) stop(cancel);
          },
          (err: unknown) => deps.logger.warn({ err, run_id: run.runId }, 'run heartbeat failed'),
        );
      },
      Math.max(10, Math.floor(leaseMs / 3)),
    );
    const timer = setTimeout(() => stop('timeout'), deps.timeoutMs);
    const timed = deps.metrics.runDuration.startTimer();
    let outcome: RunOutcome;
    try {
      const execute = () => deps.execute(run, controller.signal);
      outcome = await (deps.threadLock ? deps.threadLock(run.threadId, execute) : execute());
    } catch (err) {
      const reason = controller.signal.aborted ? (controller.signal.reason as StopReason) : undefined;
      outcome = failureOutcome(reason);
      if (!reason) deps.logger.error({ err, run_id: run.runId, thread_id: run.threadId }, 'run failed');
    } finally {
      clearInterval(heartbeat);
      clearTimeout(timer);
      running.delete(run.runId);
    }
    const reason = controller.signal.reason as StopReason | undefined;
    if (reason === 'lost' || reason === 'shutdown') {
      // Another worker has it, or it is left for the next one: record nothing.
      deps.logger.info({ run_id: run.runId, reason }, 'run left to another worker');
      return;
    }
    timed();
    deps.metrics.runs.inc({ status: outcome.status });
    try {
      await deps.afterRun?.(run, outcome);
    } catch (err) {
      deps.logger.error({ err, run_id: run.runId }, 'recording the end of a run failed');
    }
    deps.logger.info({ run_id: run.runId, thread_id: run.threadId, status: outcome.status }, 'run finished');
  }

  function failureOutcome(reason: StopReason | undefined): RunOutcome {
    if (reason === 'timeout') return { status: 'timeout', thread: 'error', error: 'run_timeout' };
    if (reason === 'interrupt' || reason === 'rollback') return { status: 'interrupted', thread: 'idle' };
    return { status: 'error', thread: 'error', error: 'run_failed' };
  }

  async function take(): Promise<boolean> {
    if (running.size >= concurrency) return false;
    const at = now();
    const run = await deps.store.claim(id, at.toISOString(), leaseFrom(at));
    if (!run) return false;
    const task = process(run).catch((err: unknown) =>
      deps.logger.error({ err, run_id: run.runId }, 'worker error'),
    );
    settled.add(task);
    void task.finally(() => {
      settled.delete(task);
      wake?.();
    });
    return true;
  }

  async function work(): Promise<void> {
    while (!stopped) {
      let took = false;
      try {
        took = await take();
      } catch (err) {
        deps.logger.warn({ err }, 'taking a run failed');
      }
      if (took) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  }

  return {
    id,
    async start(): Promise<void> {
      if (!stopped) return;
      if (deps.reclaimOnStart) await deps.store.releaseAll();
      stopped = false;
      loop = work();
    },
    /** A run was queued or a thread freed here: look for work now rather than at the next poll. */
    wake(): void {
      wake?.();
    },
    /** Stops a run this process executes; false when it is not running here. */
    cancel(runId: string, action: CancelAction): boolean {
      const controller = running.get(runId);
      if (!controller) return false;
      if (!controller.signal.aborted) controller.abort(action);
      return true;
    },
    isRunningHere: (runId: string) => running.has(runId),
    /**
     * Stops taking runs and stops the ones in flight without recording an end: their leases are
     * let go, so the next worker (another replica, or this one restarted) resumes them.
     */
    async stop(): Promise<void> {
      stopped = true;
      wake?.();
      await loop;
      for (const controller of running.values()) controller.abort('shutdown');
      await Promise.allSettled([...settled]);
      await deps.store.releaseHeld(id);
    },
  };
}

export type RunWorker = ReturnType<typeof createRunWorker>;
