import type { ApiRun } from '@mcp-langgraph/protocol';
import type { ToolCall, ToolDeps } from '../tools/tool-call-gate.js';
import { type TaskView, taskOf } from './task-state.js';

/** What a task-augmented call answers at once (SEP-2663 `CreateTaskResult`). */
export type CreateTaskResult = TaskView & { resultType: 'task' };

/**
 * `chat` as a background run: the conversation (a new one when `thread_id` is left out) gets a
 * run of the message, answered as soon as the agent has stored it, so a task read on any replica
 * finds it. The run goes on whatever becomes of this request.
 */
export async function startChatRun(
  args: { message: string; thread_id?: string },
  call: ToolCall,
  { agent }: ToolDeps,
): Promise<ApiRun> {
  const token = await call.agentToken();
  const threadId = args.thread_id ?? (await agent.createThread(token, call.signal)).thread_id;
  return agent.createRun(token, threadId, args.message, call.signal);
}

/** `chat` as a 2026-07-28 task: the run's task, answered at once. */
export async function startChatTask(
  args: { message: string; thread_id?: string },
  call: ToolCall,
  deps: ToolDeps,
): Promise<CreateTaskResult> {
  return { resultType: 'task', ...taskOf(await startChatRun(args, call, deps)) };
}
