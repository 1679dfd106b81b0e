import type { ThreadState } from '@mcp-langgraph/protocol';
import { verifiedToken } from '@mcp-langgraph/resource-server';
import type { RequestHandler } from 'express';
import type { RunService } from '../runs.js';
import { parseThreadId, requireThread, type ThreadAccessDeps } from './thread-access.js';

/** `GET /threads/{thread_id}/state`: the conversation's messages from the checkpointer. */
export function threadStateRoute(deps: ThreadAccessDeps & { runs: RunService }): RequestHandler {
  return async (req, res) => {
    const { subject } = verifiedToken(req);
    const threadId = parseThreadId(req.params.thread_id);
    await requireThread(deps, subject, threadId, 'viewer', req.log);
    const state: ThreadState = {
      thread_id: threadId,
      values: { messages: await deps.runs.messages(threadId) },
    };
    res.json(state);
  };
}
