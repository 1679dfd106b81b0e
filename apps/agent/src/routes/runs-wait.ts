import type { RunResult } from '@mcp-langgraph/protocol';
import type { RequestHandler } from 'express';
import type { RunService } from '../runs.js';
import { acceptRun, runFailure } from './run-request.js';
import type { ThreadAccessDeps } from './thread-access.js';

/** `POST /threads/{thread_id}/runs/wait`: runs the agent on the caller's message and waits for the answer. */
export function runWaitRoute(deps: ThreadAccessDeps & { runs: RunService }): RequestHandler {
  return async (req, res) => {
    const { threadId, messages } = await acceptRun(deps, req);
    let result: RunResult;
    try {
      result = await deps.runs.run(threadId, messages, req.log);
    } catch (err) {
      throw runFailure(err);
    }
    res.json(result);
  };
}
