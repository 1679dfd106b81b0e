import {
  CLIENT_CAPABILITIES_META_KEY,
  type McpServer,
  MissingRequiredClientCapabilityError,
  ProtocolError,
  ProtocolErrorCode,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import { AgentError } from '../agent-client.js';
import { chat } from '../tools/chat.js';
import { describeFailure, gateToolCall, type ToolDeps } from '../tools/tool-call-gate.js';
import { startChatTask } from './chat-task.js';
import { parseTaskId, type TaskRef } from './task-id.js';
import { chatError, chatResult, TASKS_EXTENSION, type TaskView, taskOf } from './task-state.js';

/** Whether this request's own capabilities (2026-07-28 `_meta`) declare the Tasks extension. */
export function declaresTasks(ctx: ServerContext): boolean {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  const caps = envelope?.[CLIENT_CAPABILITIES_META_KEY] as
    | { extensions?: Record<string, unknown> }
    | undefined;
  return caps?.extensions?.[TASKS_EXTENSION] !== undefined;
}

const missingExtension = () =>
  new MissingRequiredClientCapabilityError({
    requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } },
  });

const notFound = () =>
  new ProtocolError(ProtocolErrorCode.InvalidParams, 'Failed to retrieve task: Task not found');

type Handler = (request: unknown, ctx: ServerContext) => Promise<unknown>;

/** The caller's agent token and the run the id names; -32021 / -32602 as the extension says. */
async function taskCall(deps: ToolDeps, ctx: ServerContext, taskId: string) {
  if (!declaresTasks(ctx)) throw missingExtension();
  const ref = parseTaskId(taskId);
  if (!ref) throw notFound();
  let token: string;
  try {
    token = await deps.exchanger.exchange(await deps.identify(ctx));
  } catch (err) {
    throw new ProtocolError(ProtocolErrorCode.InvalidRequest, describeFailure(err));
  }
  return { ref, token };
}

/** Agent failures as JSON-RPC errors: someone else's or unknown run reads as not found. */
function agentFailure(err: unknown): ProtocolError {
  if (err instanceof ProtocolError) return err;
  if (err instanceof AgentError && err.status === 404) return notFound();
  return new ProtocolError(ProtocolErrorCode.InternalError, describeFailure(err));
}

/** `tasks/get`: the run's status, and the chat result inline once it is over. */
async function getTask(deps: ToolDeps, ref: TaskRef, token: string, signal: AbortSignal): Promise<TaskView> {
  const run = await deps.agent.getRun(token, ref.threadId, ref.runId, signal);
  const task = taskOf(run);
  if (task.status !== 'completed') return task;
  try {
    const outcome = await deps.agent.joinRun(token, ref.threadId, ref.runId, signal);
    return { ...task, result: chatResult(ref.threadId, outcome.messages) };
  } catch (err) {
    if (err instanceof AgentError && err.status === 404) throw err;
    // A failed run is a tool error, as a call without a task would have answered it.
    return { ...task, result: chatError(describeFailure(err)) };
  }
}

const taskIdParams = z.looseObject({ taskId: z.string() });

/**
 * The Tasks extension (`io.modelcontextprotocol/tasks`, SEP-2663) on one MCP server: advertised
 * under `capabilities.extensions`; a `chat` call whose request declares the extension starts a
 * background run and answers a task at once; `tasks/get`, `tasks/cancel` and `tasks/update` read
 * and steer that run through the agent with the caller's exchanged token. Requests that do not
 * declare the extension get -32021 from `tasks/*`, and `chat` answers synchronously.
 *
 * The SDK has no task runtime, so `tools/call` is wrapped: the registered handler of `McpServer`
 * stays in charge of every other call.
 */
export function installTasks(server: McpServer, deps: ToolDeps): void {
  const low = server.server;
  low.registerCapabilities({ extensions: { [TASKS_EXTENSION]: {} } });
  const handlers = (low as unknown as { _requestHandlers: Map<string, Handler> })._requestHandlers;
  const original = handlers.get('tools/call');
  if (!original) throw new Error('register the tools before the Tasks extension');
  low.setRequestHandler('tools/call', async (request, ctx) => {
    if (request.params.name !== chat.name || !declaresTasks(ctx))
      return (await original(request, ctx)) as never;
    const parsed = await chat.input['~standard'].validate(request.params.arguments ?? {});
    if (parsed.issues)
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Input validation error: Invalid arguments for tool chat: ${parsed.issues.map((i) => i.message).join('; ')}`,
      );
    const args = parsed.value as { message: string; thread_id?: string };
    // Authorization, scopes and the rate limit apply as to any chat call; a refusal is a tool error.
    const started = gateToolCall(deps, chat, ctx, (call) => startChatTask(args, call, deps) as never);
    return (await started) as never;
  });
  low.setRequestHandler('tasks/get', { params: taskIdParams }, async (params, ctx) => {
    const { ref, token } = await taskCall(deps, ctx, params.taskId);
    return (await getTask(deps, ref, token, ctx.mcpReq.signal).catch((err) => {
      throw agentFailure(err);
    })) as never;
  });
  low.setRequestHandler('tasks/cancel', { params: taskIdParams }, async (params, ctx) => {
    const { ref, token } = await taskCall(deps, ctx, params.taskId);
    try {
      await deps.agent.cancelRun(token, ref.threadId, ref.runId, ctx.mcpReq.signal);
    } catch (err) {
      // Already over: cancellation is eventually consistent, the ack stands.
      if (!(err instanceof AgentError && err.status === 409)) throw agentFailure(err);
    }
    return {} as never;
  });
  low.setRequestHandler(
    'tasks/update',
    // The SDK lifts `inputResponses` into the context (`ctx.mcpReq.inputResponses`).
    { params: taskIdParams },
    async (params, ctx) => {
      const { ref, token } = await taskCall(deps, ctx, params.taskId);
      // A chat task never asks for input, so there is nothing outstanding to answer: ignored.
      await deps.agent.getRun(token, ref.threadId, ref.runId, ctx.mcpReq.signal).catch((err) => {
        throw agentFailure(err);
      });
      return {} as never;
    },
  );
}
