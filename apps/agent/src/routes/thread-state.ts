import { assertScopes } from '@mcp-langgraph/resource-server';
import type { RequestHandler } from 'express';
import type { RunService } from '../runs.js';
import { parseThreadId, requireThread, type ThreadAccessDeps } from './common.js';

/** `GET /threads/{thread_id}/state`: the conversation's messages from the checkpointer. */
export function threadStateRoute(deps: ThreadAccessDeps & { runs: RunService }): RequestHandler {
  return async (req, res) => {
    const token = assertScopes(req.token, ['conversations:read']);
    const threadId = parseThreadId(req.params.thread_id);
    await requireThread(deps, token.subject, threadId, 'viewer', req.log);
    res.json({ thread_id: threadId, values: { messages: await deps.runs.messages(threadId) } });
  };
}
