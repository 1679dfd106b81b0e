import type { ApiRun } from '@mcp-langgraph/protocol';
import { type CallToolResult, RELATED_TASK_META_KEY, type ServerContext } from '@modelcontextprotocol/server';
import { MCP_TASK_METADATA } from '../agent-client.js';
import { taskIdOf } from './task-id.js';
import { POLL_INTERVAL_MS, type TaskStatus, taskOf } from './task-state.js';

/** The one 2025 revision with tasks (experimental, in the core protocol rather than an extension). */
export const LEGACY_TASKS_REVISION = '2025-11-25';

/** What the server declares in `initialize` on 2025-11-25: task-augmented `tools/call`, list, cancel. */
export const LEGACY_TASKS_CAPABILITY = { list: {}, cancel: {}, requests: { tools: { call: {} } } } as const;

/** A task as 2025-11-25 shapes it (`Task`): `ttl` and `pollInterval`, no inline result. */
export interface LegacyTask {
  taskId: string;
  status: TaskStatus;
  statusMessage?: string;
  createdAt: string;
  lastUpdatedAt: string;
  /** The agent keeps runs with their thread: unlimited. */
  ttl: null;
  pollInterval: number;
}

/**
 * The revision a request without the 2026-07-28 envelope was sent at: its `MCP-Protocol-Version`
 * header over HTTP (each request is served by a fresh instance), or what `initialize` negotiated
 * on a connection that keeps one instance (stdio). Undefined for 2026-07-28 requests.
 */
export function legacyRevisionOf(
  ctx: ServerContext,
  negotiated: () => string | undefined,
): string | undefined {
  if (ctx.mcpReq.envelope !== undefined) return undefined;
  return ctx.http?.req?.headers.get('mcp-protocol-version') ?? negotiated();
}

/**
 * The task of a run on 2025-11-25. A run that ended in an error is `failed` here (the revision
 * counts a tool result with `isError` as failed), where 2026-07-28 calls it `completed`.
 */
export function legacyTaskOf(run: ApiRun): LegacyTask {
  const { status, statusMessage, createdAt, lastUpdatedAt } = taskOf(run);
  const failed = run.status === 'error' || run.status === 'timeout';
  return {
    taskId: taskIdOf({ threadId: run.thread_id, runId: run.run_id }),
    status: failed ? 'failed' : status,
    ...(statusMessage ? { statusMessage } : {}),
    createdAt,
    lastUpdatedAt,
    ttl: null,
    pollInterval: POLL_INTERVAL_MS,
  };
}

/** What `tasks/result` answers: the tool's result, tied to its task (`related-task` in `_meta`). */
export function relatedResult(taskId: string, result: CallToolResult): CallToolResult {
  return { ...result, _meta: { ...result._meta, [RELATED_TASK_META_KEY]: { taskId } } };
}

/** Whether a run was started as a task (a chat call's own runs, `runs/wait`, are not tasks). */
export function isTaskRun(run: ApiRun): boolean {
  return run.metadata.source === MCP_TASK_METADATA.source;
}
