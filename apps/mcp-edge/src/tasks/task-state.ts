import type { ApiRun } from '@mcp-langgraph/protocol';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { answerOf } from '../conversation.js';
import { taskIdOf } from './task-id.js';

/** The extension's identifier, under `capabilities.extensions` on both sides. */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** How often a client is asked to poll `tasks/get`. */
export const POLL_INTERVAL_MS = 1000;

export type TaskStatus = 'working' | 'input_required' | 'completed' | 'cancelled' | 'failed';

/** A task as SEP-2663 shapes it (`Task`, with `result` once completed: `DetailedTask`). */
export interface TaskView {
  taskId: string;
  status: TaskStatus;
  statusMessage?: string;
  createdAt: string;
  lastUpdatedAt: string;
  /** The agent keeps runs with their thread: no expiry of the edge's own. */
  ttlMs: null;
  pollIntervalMs: number;
  result?: CallToolResult;
}

/** The run statuses a task is over at; `pending` and `running` are still working. */
export function runIsOver(run: Pick<ApiRun, 'status'>): boolean {
  return run.status !== 'pending' && run.status !== 'running';
}

/** The task of a run, without its result. */
export function taskOf(run: ApiRun): TaskView {
  const base = {
    taskId: taskIdOf({ threadId: run.thread_id, runId: run.run_id }),
    createdAt: run.created_at,
    lastUpdatedAt: run.updated_at,
    ttlMs: null,
    pollIntervalMs: POLL_INTERVAL_MS,
  };
  switch (run.status) {
    case 'pending':
      return { ...base, status: 'working', statusMessage: 'waiting for the assistant' };
    case 'running':
      return { ...base, status: 'working', statusMessage: 'the assistant is working on the answer' };
    case 'interrupted':
      return { ...base, status: 'cancelled', statusMessage: 'the run was cancelled' };
    default:
      return {
        ...base,
        status: 'completed',
        statusMessage: run.status === 'success' ? 'the answer is ready' : 'the run failed',
      };
  }
}

/** What `chat` answers for a finished run: the same result as a call without a task. */
export function chatResult(threadId: string, messages: Parameters<typeof answerOf>[0]): CallToolResult {
  const answer = answerOf(messages);
  return { content: [{ type: 'text', text: answer }], structuredContent: { thread_id: threadId, answer } };
}

/** A run that ended in an error: the task completes with the tool error a direct call would give. */
export function chatError(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}
