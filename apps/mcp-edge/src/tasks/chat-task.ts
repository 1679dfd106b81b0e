import type { ApiRun } from '@mcp-langgraph/protocol';
import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import { chat } from '../tools/chat.js';
import type { ToolCall, ToolDeps } from '../tools/tool-call-gate.js';
import { type TaskView, taskOf } from './task-state.js';

/** What a task-augmented call answers at once (SEP-2663 `CreateTaskResult`). */
export type CreateTaskResult = TaskView & { resultType: 'task' };

export type ChatArgs = { message: string; thread_id?: string };

/** A task-creating call's arguments, checked against chat's schema as the SDK checks a plain call. */
export async function parseChatArgs(args: unknown): Promise<ChatArgs> {
  const parsed = await chat.input['~standard'].validate(args ?? {});
  if (parsed.issues)
    throw new ProtocolError(
      ProtocolErrorCode.InvalidParams,
      `Input validation error: Invalid arguments for tool chat: ${parsed.issues.map((i) => i.message).join('; ')}`,
    );
  return parsed.value as ChatArgs;
}

/**
 * `chat` as a background run: the conversation (a new one when `thread_id` is left out) gets a
 * run of the message, answered as soon as the agent has stored it, so a task read on any replica
 * finds it. The run goes on whatever becomes of this request.
 */
export async function startChatRun(args: ChatArgs, call: ToolCall, { agent }: ToolDeps): Promise<ApiRun> {
  const token = await call.agentToken();
  const threadId = args.thread_id ?? (await agent.createThread(token, call.signal)).thread_id;
  return agent.createRun(token, threadId, args.message, call.signal);
}

/** `chat` as a 2026-07-28 task: the run's task, answered at once. */
export async function startChatTask(
  args: ChatArgs,
  call: ToolCall,
  deps: ToolDeps,
): Promise<CreateTaskResult> {
  return { resultType: 'task', ...taskOf(await startChatRun(args, call, deps)) };
}
