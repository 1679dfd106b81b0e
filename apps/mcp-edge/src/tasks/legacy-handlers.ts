import type { ApiRun } from '@mcp-langgraph/protocol';
import {
  type CallToolResult,
  type InitializeResult,
  type ListToolsResult,
  type McpServer,
  ProtocolError,
  ProtocolErrorCode,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import { AgentError } from '../agent-client.js';
import { CHAT_TASK_SUPPORT, chat } from '../tools/chat.js';
import { gateToolCall, type ToolDeps } from '../tools/tool-call-gate.js';
import { parseChatArgs, startChatRun } from './chat-task.js';
import {
  LEGACY_TASKS_CAPABILITY,
  LEGACY_TASKS_REVISION,
  type LegacyTask,
  legacyRevisionOf,
  legacyTaskOf,
  relatedResult,
} from './legacy-task.js';
import { awaitRun } from './run-wait.js';
import { agentFailure, taskAccess } from './task-access.js';
import { runIsOver } from './task-state.js';

type Handler = (request: unknown, ctx: ServerContext) => Promise<unknown>;

/** The SDK's stored handlers, the one map every request is dispatched from. */
export const storedHandlers = (server: McpServer) =>
  (server.server as unknown as { _requestHandlers: Map<string, Handler> })._requestHandlers;

/** Shown to the model while a 2025-11-25 chat task runs, when its client passes it on. */
const IMMEDIATE_RESPONSE =
  'The assistant is working on the answer in the background; it arrives when the task completes.';

const STARTED = 'the assistant is working on the answer';

const callParams = z.looseObject({
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()).optional(),
  task: z.looseObject({ ttl: z.number().optional() }).optional(),
});

export const methodNotFound = (message = 'Method not found') =>
  new ProtocolError(ProtocolErrorCode.MethodNotFound, message);

/** A task-augmented 2025-11-25 `chat`: the background run, answered as `CreateTaskResult` at once. */
async function createTask(deps: ToolDeps, args: unknown, ctx: ServerContext) {
  const input = await parseChatArgs(args);
  let run: ApiRun | undefined;
  // Authorization, scopes and the rate limit apply as to any chat call.
  const outcome = (await gateToolCall(deps, chat, ctx, async (call) => {
    run = await startChatRun(input, call, deps);
    return { content: [] };
  })) as CallToolResult;
  // The revision has no tool-error form for a task that was never created: the refusal is the error.
  if (!run)
    throw new ProtocolError(
      ProtocolErrorCode.InvalidRequest,
      outcome.content.map((c) => (c.type === 'text' ? c.text : '')).join(' '),
    );
  // A task begins as working on this revision, even one whose run is over by the time it is read.
  const task = runIsOver(run)
    ? { ...legacyTaskOf(run), status: 'working', statusMessage: STARTED }
    : legacyTaskOf(run);
  return {
    task,
    _meta: { 'io.modelcontextprotocol/model-immediate-response': IMMEDIATE_RESPONSE },
  };
}

/**
 * 2025-11-25 tasks on one server instance: `initialize` at that revision declares the `tasks`
 * capability and `tools/list` marks `chat` `execution.taskSupport: "optional"` (never on
 * 2025-06-18 or 2025-03-26, which have no tasks); a `tools/call` of `chat` with `params.task`
 * starts the background run and answers `CreateTaskResult` at once. The SDK's `tools/call` check
 * knows only `CallToolResult` on the 2025 revisions, so the task path is stored in the handler
 * map directly, in front of the checked handler that still serves every other call.
 */
export function installLegacyTasks(server: McpServer, deps: ToolDeps): void {
  const handlers = storedHandlers(server);
  const negotiated = () => server.server.getNegotiatedProtocolVersion();
  const atTasksRevision = (ctx: ServerContext) => legacyRevisionOf(ctx, negotiated) === LEGACY_TASKS_REVISION;
  const initialize = handlers.get('initialize');
  const list = handlers.get('tools/list');
  const call = handlers.get('tools/call');
  if (!initialize || !list || !call) throw new Error('register the tools before the 2025-11-25 tasks');
  handlers.set('initialize', async (request, ctx) => {
    const result = (await initialize(request, ctx)) as InitializeResult;
    if (result.protocolVersion !== LEGACY_TASKS_REVISION) return result;
    return { ...result, capabilities: { ...result.capabilities, tasks: LEGACY_TASKS_CAPABILITY } };
  });
  handlers.set('tools/list', async (request, ctx) => {
    const result = (await list(request, ctx)) as ListToolsResult;
    if (!atTasksRevision(ctx)) return result;
    const tools = result.tools.map((t) =>
      t.name === chat.name ? { ...t, execution: { ...t.execution, taskSupport: CHAT_TASK_SUPPORT } } : t,
    );
    return { ...result, tools };
  });
  handlers.set('tools/call', async (request, ctx) => {
    const raw = (request as { params?: { task?: unknown } }).params;
    // Most calls carry no task: they go straight on, without parsing anything here.
    if (raw?.task === undefined || !atTasksRevision(ctx)) return call(request, ctx);
    const params = callParams.safeParse(raw);
    if (!params.success || params.data.task === undefined) return call(request, ctx);
    // Task support is per tool on this revision, and only chat has it.
    if (params.data.name !== chat.name)
      throw methodNotFound(`Tool ${params.data.name} does not support task-augmented calls`);
    return createTask(deps, params.data.arguments, ctx);
  });
}

/** `tasks/get` (2025-11-25): the task, without its result. */
export async function legacyGet(deps: ToolDeps, ctx: ServerContext, taskId: string): Promise<LegacyTask> {
  const { ref, token } = await taskAccess(deps, ctx, taskId);
  const run = await deps.agent.getRun(token, ref.threadId, ref.runId, ctx.mcpReq.signal).catch((err) => {
    throw agentFailure(err);
  });
  return legacyTaskOf(run);
}

/**
 * `tasks/result` (2025-11-25): blocks until the run is over, sending `notifications/tasks/status`
 * on the request's stream whenever its status changes, then answers what `chat` would have.
 */
export async function legacyResult(
  deps: ToolDeps,
  ctx: ServerContext,
  taskId: string,
): Promise<CallToolResult> {
  const { ref, token } = await taskAccess(deps, ctx, taskId);
  const notify = (run: ApiRun) =>
    ctx.mcpReq
      .notify({ method: 'notifications/tasks/status', params: legacyTaskOf(run) } as never)
      .catch(() => {});
  const { result } = await awaitRun(deps, ref, token, ctx.mcpReq.signal, notify).catch((err) => {
    throw agentFailure(err);
  });
  return relatedResult(taskId, result);
}

/** `tasks/cancel` (2025-11-25): interrupts the run and answers the task as cancelled. */
export async function legacyCancel(deps: ToolDeps, ctx: ServerContext, taskId: string): Promise<LegacyTask> {
  const { ref, token } = await taskAccess(deps, ctx, taskId);
  const { signal } = ctx.mcpReq;
  try {
    const run = await deps.agent.getRun(token, ref.threadId, ref.runId, signal);
    if (runIsOver(run)) throw terminal(legacyTaskOf(run));
    await deps.agent.cancelRun(token, ref.threadId, ref.runId, signal);
    return {
      ...legacyTaskOf(run),
      status: 'cancelled',
      statusMessage: 'the run was cancelled',
      lastUpdatedAt: new Date().toISOString(),
    };
  } catch (err) {
    // The run ended between the read and the cancel.
    if (err instanceof AgentError && err.status === 409) throw terminal();
    throw agentFailure(err);
  }
}

function terminal(task?: LegacyTask): ProtocolError {
  const status = task ? ` (${task.status})` : '';
  return new ProtocolError(
    ProtocolErrorCode.InvalidParams,
    `Cannot cancel task: already in terminal status${status}`,
  );
}
