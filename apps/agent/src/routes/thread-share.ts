import { shareBodySchema } from '@mcp-langgraph/protocol';
import type { RequestHandler } from 'express';
import type { ThreadLifecycle } from '../thread-lifecycle.js';
import { authzUnavailable } from '../thread-lifecycle.js';
import { parseBody } from './parse.js';
import { type ThreadAccessDeps, threadOfRequest } from './thread-access.js';

/**
 * `POST /threads/{thread_id}/share {user, role}` grants a subject `viewer` or `editor` on the
 * conversation; `DELETE` with the same body takes it back. Owner only.
 */
export function shareThreadRoute(
  deps: ThreadAccessDeps & { lifecycle: ThreadLifecycle },
  grant: boolean,
): RequestHandler {
  return async (req, res) => {
    const thread = await threadOfRequest(deps, req, 'owner');
    const { user, role } = parseBody(shareBodySchema, req.body ?? {});
    try {
      if (grant) await deps.lifecycle.share(thread.threadId, user, role);
      else await deps.lifecycle.unshare(thread.threadId, user, role);
    } catch (err) {
      req.log.error({ err, thread_id: thread.threadId }, 'share tuple write failed');
      throw authzUnavailable();
    }
    req.log.info(
      { thread_id: thread.threadId, user, role, grant },
      grant ? 'thread shared' : 'thread share removed',
    );
    res.status(204).end();
  };
}
