import { setMaxListeners } from 'node:events';
import type { ApiRun } from '@mcp-langgraph/protocol';
import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { AgentError } from '../agent-client.js';
import type { ToolDeps } from '../tools/tool-call-gate.js';
import { isTaskRun, type LegacyTask, legacyTaskOf } from './legacy-task.js';

/** Conversations looked at per page: each costs the agent one runs listing. */
export const THREADS_PER_PAGE = 10;
/** The newest runs read per conversation; older tasks of a busy conversation are not listed. */
export const RUNS_PER_THREAD = 20;

const cursorSchema = z.strictObject({ v: z.literal(1), offset: z.number().int().min(0).max(100_000) });

/**
 * The cursor is where the next page starts among the caller's conversations, and nothing else:
 * every page is read again with the caller's own token, so a cursor someone else made, or one
 * edited by hand, shows nobody's runs but the caller's. It is encoded only to keep it opaque.
 */
export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ v: 1, offset })).toString('base64url');
}

/** The offset a cursor names; -32602 for anything this edge did not write. */
export function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const invalid = () => new ProtocolError(ProtocolErrorCode.InvalidParams, 'Invalid cursor');
  if (cursor.length > 100 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const page = cursorSchema.safeParse(parsed);
  if (!page.success) throw invalid();
  return page.data.offset;
}

/**
 * `tasks/list` (2025-11-25): the caller's tasks, newest first, one page of conversations at a
 * time. The conversations are those the agent's `/threads/search` lets the caller see (most
 * recently updated first), and each one's newest runs come from `/threads/{id}/runs`; only runs
 * started as tasks are tasks. A conversation gone between the two reads is skipped.
 */
export async function listTasks(
  deps: Pick<ToolDeps, 'agent'>,
  token: string,
  cursor: string | undefined,
  signal: AbortSignal,
): Promise<{ tasks: LegacyTask[]; nextCursor?: string }> {
  const offset = decodeCursor(cursor);
  const threads = await deps.agent.searchThreads(
    token,
    { limit: THREADS_PER_PAGE, offset, sort_by: 'updated_at', sort_order: 'desc' },
    signal,
  );
  // One listing per conversation at once, each listening to this request's signal.
  setMaxListeners(THREADS_PER_PAGE + 10, signal);
  const runs = await Promise.all(
    threads.map((t) =>
      deps.agent.listRuns(token, t.thread_id, RUNS_PER_THREAD, signal).catch((err: unknown): ApiRun[] => {
        if (err instanceof AgentError && err.status === 404) return [];
        throw err;
      }),
    ),
  );
  const tasks = runs
    .flat()
    .filter(isTaskRun)
    .sort((a, b) => b.created_at.localeCompare(a.created_at))
    .map(legacyTaskOf);
  return {
    tasks,
    ...(threads.length === THREADS_PER_PAGE ? { nextCursor: encodeCursor(offset + THREADS_PER_PAGE) } : {}),
  };
}
