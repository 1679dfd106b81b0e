import { AppError } from '@mcp-langgraph/observability';
import { RUN_ERROR_STATUS, runBodySchema } from '@mcp-langgraph/protocol';
import { verifiedToken } from '@mcp-langgraph/resource-server';
import type { Request } from 'express';
import { RunTimeoutError, ThreadBusyError } from '../runs.js';
import { parseBody } from './parse.js';
import { parseThreadId, requireThread, type ThreadAccessDeps } from './thread-access.js';

/** A run both run routes have accepted: the thread may be edited by the caller, the body is valid. */
export interface AcceptedRun {
  threadId: string;
  /** The new user messages, in order. */
  messages: string[];
}

/**
 * The checks `runs/wait` and `runs/stream` make before a run starts, in the order callers see
 * them: the thread id, the body, then the `editor` relation on the conversation.
 */
export async function acceptRun(deps: ThreadAccessDeps, req: Request): Promise<AcceptedRun> {
  const { subject } = verifiedToken(req);
  const threadId = parseThreadId(req.params.thread_id);
  const { input } = parseBody(runBodySchema, req.body);
  await requireThread(deps, subject, threadId, 'editor', req.log);
  return { threadId, messages: input.messages.map((m) => m.content) };
}

type RunErrorCode = 'thread_busy' | 'run_timeout' | 'run_failed';

// The protocol maps each stream error code to the status `runs/wait` answers, so both routes agree.
const runError = (code: RunErrorCode, message: string, headers?: Record<string, string>) =>
  new AppError(RUN_ERROR_STATUS[code] ?? 500, code, message, headers);

/** Why a run did not complete, as the caller may learn it (details stay in the log). */
export function runFailure(err: unknown): AppError {
  if (err instanceof ThreadBusyError)
    return runError('thread_busy', 'too many runs are waiting on this thread; retry later', {
      'Retry-After': '2',
    });
  if (err instanceof RunTimeoutError)
    return runError('run_timeout', 'the run took longer than the agent allows');
  return runError('run_failed', 'the agent could not complete the run');
}
