import type { MultitaskStrategy, RunStatus, ThreadStatus } from '@mcp-langgraph/protocol';
import type { Kysely, Transaction } from 'kysely';
import { runEventMethods } from './run-events.js';
import { type CancelAction, type RunKwargs, type RunRecord, type RunsTable, toRun } from './run-record.js';
import type { AgentDatabase } from './threads.js';

export type { RunEventsTable } from './run-events.js';
export type { CancelAction, RunKwargs, RunRecord, RunsTable } from './run-record.js';

const ACTIVE = ['pending', 'running'] as const;
const LIST_CHUNK = 500;

/** Why a run was not queued: the thread is busy (`reject`), or its queue is full. */
export type EnqueueRefusal = { refused: 'inflight' | 'queue_full'; inflight: RunRecord[] };
export type EnqueueResult = { run: RunRecord; inflight: RunRecord[] } | EnqueueRefusal;

/** A new run: what the caller asked, queued behind the thread's other runs. */
export interface NewRun {
  runId: string;
  threadId: string;
  assistantId: string;
  metadata: Record<string, unknown>;
  kwargs: RunKwargs;
  multitaskStrategy: MultitaskStrategy;
  createdAt: string;
}

/**
 * Run records in the agent's database. Every change of a run's status that others act on is a
 * conditional update, so two replicas never both take, finish or cancel one run.
 */
export function createRunStore(db: Kysely<AgentDatabase>, dialect: 'sqlite' | 'postgres') {
  const rows = (q: Kysely<AgentDatabase> | Transaction<AgentDatabase> = db) =>
    q.selectFrom('agent_runs').selectAll();

  async function activeOf(trx: Transaction<AgentDatabase>, threadId: string): Promise<RunRecord[]> {
    const found = await rows(trx)
      .where('thread_id', '=', threadId)
      .where('status', 'in', ACTIVE)
      .orderBy('created_at')
      .orderBy('run_id')
      .execute();
    return found.map(toRun);
  }

  /** The status a thread has once `finished` ran, given what is still queued on it. */
  async function settleThread(
    trx: Transaction<AgentDatabase>,
    threadId: string,
    outcome: ThreadStatus,
    at: string,
  ): Promise<void> {
    const queued = await activeOf(trx, threadId);
    await trx
      .updateTable('agent_threads')
      .set({ status: queued.length > 0 ? 'busy' : outcome, updated_at: at })
      .where('thread_id', '=', threadId)
      .execute();
  }

  return {
    /**
     * Queues `run` on its thread in one transaction with the thread's status (busy) and the
     * metadata the run adds to the thread. With `reject` an active run refuses it; more than
     * `maxQueued` active runs refuse any.
     */
    async enqueue(
      run: NewRun,
      maxQueued: number,
      threadMetadata: Record<string, unknown>,
    ): Promise<EnqueueResult> {
      return db.transaction().execute(async (trx) => {
        const thread = trx
          .selectFrom('agent_threads')
          .select(['metadata'])
          .where('thread_id', '=', run.threadId);
        // PostgreSQL: the thread row's lock orders concurrent creations; SQLite transactions are serial.
        const row = await (dialect === 'postgres' ? thread.forUpdate() : thread).executeTakeFirst();
        const inflight = await activeOf(trx, run.threadId);
        if (run.multitaskStrategy === 'reject' && inflight.length > 0)
          return { refused: 'inflight', inflight };
        if (inflight.length >= maxQueued) return { refused: 'queue_full', inflight };
        const record: RunsTable = {
          run_id: run.runId,
          thread_id: run.threadId,
          assistant_id: run.assistantId,
          status: 'pending',
          metadata: JSON.stringify(run.metadata),
          kwargs: JSON.stringify(run.kwargs),
          multitask_strategy: run.multitaskStrategy,
          created_at: run.createdAt,
          updated_at: run.createdAt,
          attempt: 0,
          worker: null,
          lease_until: null,
          base_checkpoint: null,
          cancel: null,
          error: null,
        };
        await trx.insertInto('agent_runs').values(record).execute();
        const metadata = {
          ...(row ? (JSON.parse(row.metadata) as Record<string, unknown>) : {}),
          ...threadMetadata,
        };
        await trx
          .updateTable('agent_threads')
          .set({ status: 'busy', metadata: JSON.stringify(metadata), updated_at: run.createdAt })
          .where('thread_id', '=', run.threadId)
          .execute();
        return { run: toRun(record), inflight };
      });
    },

    async get(runId: string): Promise<RunRecord | undefined> {
      const row = await rows().where('run_id', '=', runId).executeTakeFirst();
      return row ? toRun(row) : undefined;
    },

    /** The thread's runs, newest first. */
    async list(threadId: string, limit: number, offset: number, status?: RunStatus): Promise<RunRecord[]> {
      let q = rows().where('thread_id', '=', threadId);
      if (status) q = q.where('status', '=', status);
      const found = await q
        .orderBy('created_at', 'desc')
        .orderBy('run_id', 'desc')
        .limit(limit)
        .offset(offset)
        .execute();
      return found.map(toRun);
    },

    /** Runs still pending or running on the thread, oldest first. */
    active: (threadId: string) => db.transaction().execute((trx) => activeOf(trx, threadId)),

    /** Whether any of `threadIds` has an active run (thread status `busy` is kept in the row too). */
    async activeThreads(threadIds: readonly string[]): Promise<Set<string>> {
      const busy = new Set<string>();
      for (let i = 0; i < threadIds.length; i += LIST_CHUNK) {
        const found = await db
          .selectFrom('agent_runs')
          .select('thread_id')
          .where('thread_id', 'in', threadIds.slice(i, i + LIST_CHUNK))
          .where('status', 'in', ACTIVE)
          .execute();
        for (const r of found) busy.add(r.thread_id);
      }
      return busy;
    },

    /**
     * Takes the oldest runnable run for `worker`: a pending run, or a running one whose lease
     * lapsed (its worker died), and only the oldest active run of its thread, so a thread's runs
     * go one at a time in order. With PostgreSQL replicas skip each other's candidates.
     */
    async claim(worker: string, now: string, leaseUntil: string): Promise<RunRecord | undefined> {
      return db.transaction().execute(async (trx) => {
        let q = trx
          .selectFrom('agent_runs as r')
          .selectAll('r')
          .where((eb) =>
            eb.or([
              eb('r.status', '=', 'pending'),
              eb.and([eb('r.status', '=', 'running'), eb('r.lease_until', '<', now)]),
            ]),
          )
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('agent_runs as o')
                  .select('o.run_id')
                  .whereRef('o.thread_id', '=', 'r.thread_id')
                  .where('o.status', 'in', ACTIVE)
                  .where((eb) =>
                    eb.or([
                      eb('o.created_at', '<', eb.ref('r.created_at')),
                      eb.and([
                        eb('o.created_at', '=', eb.ref('r.created_at')),
                        eb('o.run_id', '<', eb.ref('r.run_id')),
                      ]),
                    ]),
                  ),
              ),
            ),
          )
          .orderBy('r.created_at')
          .orderBy('r.run_id')
          .limit(1);
        if (dialect === 'postgres') q = q.forUpdate().skipLocked();
        const row = await q.executeTakeFirst();
        if (!row) return undefined;
        const taken = await trx
          .updateTable('agent_runs')
          .set({
            status: 'running',
            worker,
            lease_until: leaseUntil,
            attempt: row.attempt + 1,
            updated_at: now,
          })
          .where('run_id', '=', row.run_id)
          .where('attempt', '=', row.attempt)
          .executeTakeFirst();
        if (Number(taken.numUpdatedRows) !== 1) return undefined;
        return toRun({
          ...row,
          status: 'running',
          worker,
          lease_until: leaseUntil,
          attempt: row.attempt + 1,
        });
      });
    },

    /** Extends the lease; the cancellation asked for, or `lost` when another worker has the run. */
    async heartbeat(
      runId: string,
      worker: string,
      leaseUntil: string,
    ): Promise<{ lost: boolean; cancel: CancelAction | null }> {
      const updated = await db
        .updateTable('agent_runs')
        .set({ lease_until: leaseUntil })
        .where('run_id', '=', runId)
        .where('worker', '=', worker)
        .where('status', '=', 'running')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return { lost: true, cancel: null };
      const row = await db
        .selectFrom('agent_runs')
        .select('cancel')
        .where('run_id', '=', runId)
        .executeTakeFirst();
      return { lost: false, cancel: (row?.cancel as CancelAction | null) ?? null };
    },

    /** Records where the run starts from, once (a retry keeps its first run's base). */
    async setBase(runId: string, checkpointId: string | null): Promise<void> {
      await db
        .updateTable('agent_runs')
        .set({ base_checkpoint: checkpointId ?? '' })
        .where('run_id', '=', runId)
        .where('base_checkpoint', 'is', null)
        .execute();
    },

    /** Ends the run held by `worker` and settles the thread's status; false when it was not its run. */
    async finish(
      run: RunRecord,
      worker: string,
      outcome: { status: RunStatus; thread: ThreadStatus; error?: string; at: string },
    ): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const done = await trx
          .updateTable('agent_runs')
          .set({
            status: outcome.status,
            lease_until: null,
            error: outcome.error ?? null,
            updated_at: outcome.at,
          })
          .where('run_id', '=', run.runId)
          .where('worker', '=', worker)
          .where('status', '=', 'running')
          .executeTakeFirst();
        if (Number(done.numUpdatedRows) !== 1) return false;
        await settleThread(trx, run.threadId, outcome.thread, outcome.at);
        return true;
      });
    },

    /**
     * Asks for a run to stop. A pending run stops at once (`interrupted`; with `rollback` it is
     * deleted); a running one is flagged for its worker. Returns what the run was before, if any.
     */
    async cancel(runId: string, action: CancelAction, at: string): Promise<RunRecord | undefined> {
      return db.transaction().execute(async (trx) => {
        const row = await rows(trx).where('run_id', '=', runId).executeTakeFirst();
        if (!row) return undefined;
        if (row.status === 'pending') {
          if (action === 'rollback') await trx.deleteFrom('agent_runs').where('run_id', '=', runId).execute();
          else
            await trx
              .updateTable('agent_runs')
              .set({ status: 'interrupted', updated_at: at })
              .where('run_id', '=', runId)
              .execute();
          await settleThread(trx, row.thread_id, 'idle', at);
        } else if (row.status === 'running')
          await trx.updateTable('agent_runs').set({ cancel: action }).where('run_id', '=', runId).execute();
        return toRun(row);
      });
    },

    /** Removes a finished run; false when there was none (or it is still active). */
    async delete(runId: string): Promise<boolean> {
      const r = await db
        .deleteFrom('agent_runs')
        .where('run_id', '=', runId)
        .where('status', 'not in', ACTIVE)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    async deleteForThread(threadId: string): Promise<void> {
      await db.deleteFrom('agent_runs').where('thread_id', '=', threadId).execute();
    },

    ...runEventMethods(db, ACTIVE),

    /** Lets go of the runs `worker` holds, so the next worker takes them at once. */
    async releaseHeld(worker: string): Promise<void> {
      await db
        .updateTable('agent_runs')
        .set({ lease_until: new Date(0).toISOString() })
        .where('status', '=', 'running')
        .where('worker', '=', worker)
        .execute();
    },

    /** Runs left running by a worker of this store that is gone (SQLite: the previous process). */
    async releaseAll(): Promise<void> {
      await db
        .updateTable('agent_runs')
        .set({ lease_until: new Date(0).toISOString() })
        .where('status', '=', 'running')
        .execute();
    },
  };
}

export type RunStore = ReturnType<typeof createRunStore>;
