import { AppError } from '@mcp-langgraph/observability';
import { assertScopes } from '@mcp-langgraph/resource-server';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { type RunService, RunTimeoutError, ThreadBusyError } from '../runs.js';
import { parseBody, parseThreadId, requireThread, type ThreadAccessDeps } from './common.js';

export const MAX_MESSAGE_CHARS = 8000;

/** Body of both run routes. */
export const runBodySchema = z.object({
  input: z.object(
    {
      messages: z
        .array(
          z.object({
            role: z.literal('user', { error: 'role must be "user"' }),
            content: z
              .string({ error: 'content must be a string' })
              .max(MAX_MESSAGE_CHARS, { error: `content must be at most ${MAX_MESSAGE_CHARS} characters` })
              .refine((s) => s.trim().length > 0, { error: 'content must not be empty' }),
          }),
          { error: 'input.messages must be an array of messages' },
        )
        .min(1, { error: 'input.messages needs at least one message' })
        .max(20, { error: 'input.messages takes at most 20 messages' }),
    },
    { error: 'input with messages is required' },
  ),
});

/** Why a run did not complete, as the caller may learn it (details stay in the log). */
export function runFailure(err: unknown): AppError {
  if (err instanceof ThreadBusyError)
    return new AppError(409, 'thread_busy', 'too many runs are waiting on this thread; retry later', {
      'Retry-After': '2',
    });
  if (err instanceof RunTimeoutError)
    return new AppError(504, 'run_timeout', 'the run took longer than the agent allows');
  return new AppError(500, 'run_failed', 'the agent could not complete the run');
}

/** `POST /threads/{thread_id}/runs/wait`: runs the agent on the caller's message and waits for the answer. */
export function runWaitRoute(deps: ThreadAccessDeps & { runs: RunService }): RequestHandler {
  return async (req, res) => {
    const token = assertScopes(req.token, ['conversations:write']);
    const threadId = parseThreadId(req.params.thread_id);
    const { input } = parseBody(runBodySchema, req.body);
    await requireThread(deps, token.subject, threadId, 'editor', req.log);
    let result: Awaited<ReturnType<RunService['run']>>;
    try {
      result = await deps.runs.run(
        threadId,
        input.messages.map((m) => m.content),
        req.log,
      );
    } catch (err) {
      throw runFailure(err);
    }
    res.json(result);
  };
}
