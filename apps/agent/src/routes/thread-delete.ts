import { conversationObject } from '@mcp-langgraph/protocol';
import { verifiedToken } from '@mcp-langgraph/resource-server';
import type { RequestHandler } from 'express';
import type { RunService } from '../runs.js';
import { parseThreadId, requireThread, type ThreadAccessDeps } from './thread-access.js';

/**
 * `DELETE /threads/{thread_id}`: only an owner may delete. Removes the row and the checkpoints, then
 * the owner tuple; tuples left behind (shares, or a failed tuple delete) point at nothing and are
 * ignored, because every read joins the thread table.
 */
export function deleteThreadRoute(deps: ThreadAccessDeps & { runs: RunService }): RequestHandler {
  return async (req, res) => {
    const { subject } = verifiedToken(req);
    const threadId = parseThreadId(req.params.thread_id);
    const thread = await requireThread(deps, subject, threadId, 'owner', req.log);
    await deps.runs.delete(threadId);
    await deps.authorizer
      .write([], [{ user: thread.owner, relation: 'owner', object: conversationObject(threadId) }])
      .catch((err: unknown) => req.log.warn({ err, thread_id: threadId }, 'owner tuple not removed'));
    req.log.info({ thread_id: threadId }, 'thread deleted');
    res.status(204).end();
  };
}
