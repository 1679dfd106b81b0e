import type { MultitaskStrategy, RunStatus } from '@mcp-langgraph/protocol';

export interface RunsTable {
  run_id: string;
  thread_id: string;
  assistant_id: string;
  status: string;
  metadata: string;
  kwargs: string;
  multitask_strategy: string;
  created_at: string;
  updated_at: string;
  attempt: number;
  worker: string | null;
  lease_until: string | null;
  base_checkpoint: string | null;
  cancel: string | null;
  error: string | null;
}

/** How a run is cancelled: stop it (`interrupt`), or stop it and undo what it wrote (`rollback`). */
export type CancelAction = 'interrupt' | 'rollback';

/** What a run was asked to do, as committed with it (the platform's `kwargs`). */
export interface RunKwargs {
  input: unknown;
  command: Record<string, unknown> | null;
  config: { tags?: string[]; recursion_limit?: number; configurable?: Record<string, unknown> };
  context: Record<string, unknown> | null;
  stream_mode: string[];
  subgraphs: boolean;
  resumable: boolean;
  interrupt_before: '*' | string[] | null;
  interrupt_after: '*' | string[] | null;
  /** A thread-less run's thread, deleted when the run ends. */
  temporary: boolean;
  checkpoint_id: string | null;
  /**
   * Whom the run acts for: the subject (`user:<sub>`) of the verified token that created it, set
   * by the server. Its tools are authorized for this user; runs stored without it may use none.
   */
  caller?: string;
  /**
   * The W3C `traceparent` of the request that created the run, set by the server: the run's spans
   * join that request's trace although a worker executes it after the request was answered.
   */
  traceparent?: string;
}

/** A run as the agent's store keeps it. */
export interface RunRecord {
  runId: string;
  threadId: string;
  assistantId: string;
  status: RunStatus;
  metadata: Record<string, unknown>;
  kwargs: RunKwargs;
  multitaskStrategy: MultitaskStrategy;
  createdAt: string;
  updatedAt: string;
  attempt: number;
  worker: string | null;
  leaseUntil: string | null;
  baseCheckpoint: string | null;
  cancel: CancelAction | null;
  error: string | null;
}

export function toRun(row: RunsTable): RunRecord {
  return {
    runId: row.run_id,
    threadId: row.thread_id,
    assistantId: row.assistant_id,
    status: row.status as RunStatus,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    kwargs: JSON.parse(row.kwargs) as RunKwargs,
    multitaskStrategy: row.multitask_strategy as MultitaskStrategy,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    attempt: row.attempt,
    worker: row.worker,
    leaseUntil: row.lease_until,
    baseCheckpoint: row.base_checkpoint,
    cancel: row.cancel as CancelAction | null,
    error: row.error,
  };
}
