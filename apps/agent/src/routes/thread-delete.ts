import type { RequestHandler } from 'express';
import type { RunService } from '../runs.js';
import { type ThreadAccessDeps, threadOfRequest } from './thread-access.js';

/**
 * `DELETE /threads/{thread_id}`: only an owner may delete. Active runs are stopped first, then
 * the row, its runs, its checkpoints and every tuple the agent wrote for it go.
 */
export function deleteThreadRoute(deps: ThreadAccessDeps & { runs: RunService }): RequestHandler {
  return async (req, res) => {
    const thread = await threadOfRequest(deps, req, 'owner');
    await deps.runs.deleteThread(thread, req.log);
    req.log.info({ thread_id: thread.threadId }, 'thread deleted');
    res.status(204).end();
  };
}
