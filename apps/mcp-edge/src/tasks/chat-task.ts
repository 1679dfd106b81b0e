import type { ToolCall, ToolDeps } from '../tools/tool-call-gate.js';
import { type TaskView, taskOf } from './task-state.js';

/** What a task-augmented call answers at once (SEP-2663 `CreateTaskResult`). */
export type CreateTaskResult = TaskView & { resultType: 'task' };

/**
 * `chat` as a task: the conversation (a new one when `thread_id` is left out) gets a background
 * run of the message, and the call answers the task as soon as the agent has stored the run, so a
 * `tasks/get` on any replica finds it. The run goes on whatever becomes of this request.
 */
export async function startChatTask(
  args: { message: string; thread_id?: string },
  call: ToolCall,
  { agent }: ToolDeps,
): Promise<CreateTaskResult> {
  const token = await call.agentToken();
  const threadId = args.thread_id ?? (await agent.createThread(token, call.signal)).thread_id;
  const run = await agent.createRun(token, threadId, args.message, call.signal);
  return { resultType: 'task', ...taskOf(run) };
}
