import {
  CLIENT_CAPABILITIES_META_KEY,
  type McpServer,
  MissingRequiredClientCapabilityError,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import { AgentError } from '../agent-client.js';
import { chat } from '../tools/chat.js';
import { describeFailure, gateToolCall, type ToolDeps } from '../tools/tool-call-gate.js';
import { parseChatArgs, startChatTask } from './chat-task.js';
import {
  installLegacyTasks,
  legacyCancel,
  legacyGet,
  legacyResult,
  methodNotFound,
  storedHandlers,
} from './legacy-handlers.js';
import { LEGACY_TASKS_REVISION, legacyRevisionOf } from './legacy-task.js';
import { agentFailure, callerToken, taskAccess } from './task-access.js';
import type { TaskRef } from './task-id.js';
import { listTasks } from './task-list.js';
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

/** The caller's agent token and the run the id names; -32021 / -32602 as the extension says. */
async function taskCall(deps: ToolDeps, ctx: ServerContext, taskId: string) {
  if (!declaresTasks(ctx)) throw missingExtension();
  return taskAccess(deps, ctx, taskId);
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
const listParams = z.looseObject({ cursor: z.string().optional() });

/**
 * Tasks on one MCP server, for each revision that has them. 2026-07-28, the Tasks extension
 * (`io.modelcontextprotocol/tasks`, SEP-2663): advertised under `capabilities.extensions`; a
 * `chat` call whose request declares the extension starts a background run and answers a task
 * at once; `tasks/get`, `tasks/cancel` and `tasks/update` read and steer that run through the
 * agent with the caller's exchanged token; requests that do not declare the extension get -32021
 * from `tasks/*`, and `chat` answers synchronously. 2025-11-25, the revision's own experimental
 * tasks (see `installLegacyTasks`): `tasks/get`, `tasks/result`, `tasks/list`, `tasks/cancel` on
 * the same runs and task ids. 2025-06-18 and 2025-03-26 have no tasks: -32601.
 *
 * The SDK has no task runtime, so `tools/call` is wrapped: the registered handler of `McpServer`
 * stays in charge of every other call.
 */
export function installTasks(server: McpServer, deps: ToolDeps): void {
  const low = server.server;
  low.registerCapabilities({ extensions: { [TASKS_EXTENSION]: {} } });
  const original = storedHandlers(server).get('tools/call');
  if (!original) throw new Error('register the tools before the Tasks extension');
  low.setRequestHandler('tools/call', async (request, ctx) => {
    if (request.params.name !== chat.name || !declaresTasks(ctx))
      return (await original(request, ctx)) as never;
    const args = await parseChatArgs(request.params.arguments);
    // Authorization, scopes and the rate limit apply as to any chat call; a refusal is a tool error.
    const started = gateToolCall(deps, chat, ctx, (call) => startChatTask(args, call, deps) as never);
    return (await started) as never;
  });
  installLegacyTasks(server, deps);

  /** Which tasks a request gets: the extension's (2026-07-28), 2025-11-25's, or none. */
  const era = (ctx: ServerContext) => {
    const revision = legacyRevisionOf(ctx, () => low.getNegotiatedProtocolVersion());
    if (revision === undefined) return 'extension';
    return revision === LEGACY_TASKS_REVISION ? 'legacy' : 'none';
  };
  /** A method only 2025-11-25 has (`tasks/result`, `tasks/list`). */
  const legacyOnly = (ctx: ServerContext) => {
    if (era(ctx) !== 'legacy') throw methodNotFound();
  };

  low.setRequestHandler('tasks/get', { params: taskIdParams }, async (params, ctx) => {
    const which = era(ctx);
    if (which === 'legacy') return (await legacyGet(deps, ctx, params.taskId)) as never;
    if (which === 'none') throw methodNotFound();
    const { ref, token } = await taskCall(deps, ctx, params.taskId);
    return (await getTask(deps, ref, token, ctx.mcpReq.signal).catch((err) => {
      throw agentFailure(err);
    })) as never;
  });
  low.setRequestHandler('tasks/cancel', { params: taskIdParams }, async (params, ctx) => {
    const which = era(ctx);
    if (which === 'legacy') return (await legacyCancel(deps, ctx, params.taskId)) as never;
    if (which === 'none') throw methodNotFound();
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
      if (era(ctx) !== 'extension') throw methodNotFound();
      const { ref, token } = await taskCall(deps, ctx, params.taskId);
      // A chat task never asks for input, so there is nothing outstanding to answer: ignored.
      await deps.agent.getRun(token, ref.threadId, ref.runId, ctx.mcpReq.signal).catch((err) => {
        throw agentFailure(err);
      });
      return {} as never;
    },
  );
  low.setRequestHandler('tasks/result', { params: taskIdParams }, async (params, ctx) => {
    legacyOnly(ctx);
    return (await legacyResult(deps, ctx, params.taskId)) as never;
  });
  low.setRequestHandler('tasks/list', { params: listParams }, async (params, ctx) => {
    legacyOnly(ctx);
    const token = await callerToken(deps, ctx);
    return (await listTasks(deps, token, params.cursor, ctx.mcpReq.signal).catch((err) => {
      throw agentFailure(err);
    })) as never;
  });
}
