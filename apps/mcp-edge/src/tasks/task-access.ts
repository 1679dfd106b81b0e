import { ProtocolError, ProtocolErrorCode, type ServerContext } from '@modelcontextprotocol/server';
import { AgentError } from '../agent-client.js';
import { describeFailure, type ToolDeps } from '../tools/tool-call-gate.js';
import { parseTaskId, type TaskRef } from './task-id.js';

/** The answer both revisions give for an unknown, malformed or someone else's task id. */
export const notFound = () =>
  new ProtocolError(ProtocolErrorCode.InvalidParams, 'Failed to retrieve task: Task not found');

/** The caller's agent-audience token; a failed exchange is the caller's to fix (sign in again). */
export async function callerToken(deps: ToolDeps, ctx: ServerContext): Promise<string> {
  try {
    return await deps.exchanger.exchange(await deps.identify(ctx));
  } catch (err) {
    throw new ProtocolError(ProtocolErrorCode.InvalidRequest, describeFailure(err));
  }
}

/** The run a task id names and the caller's token to reach it; -32602 for an id that names none. */
export async function taskAccess(
  deps: ToolDeps,
  ctx: ServerContext,
  taskId: string,
): Promise<{ ref: TaskRef; token: string }> {
  const ref = parseTaskId(taskId);
  if (!ref) throw notFound();
  return { ref, token: await callerToken(deps, ctx) };
}

/** Agent failures as JSON-RPC errors: someone else's or unknown run reads as not found. */
export function agentFailure(err: unknown): ProtocolError {
  if (err instanceof ProtocolError) return err;
  if (err instanceof AgentError && err.status === 404) return notFound();
  return new ProtocolError(ProtocolErrorCode.InternalError, describeFailure(err));
}
