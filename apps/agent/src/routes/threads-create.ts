import { randomUUID } from 'node:crypto';
import { AppError } from '@mcp-langgraph/observability';
import { verifiedToken } from '@mcp-langgraph/resource-server';
import type { RequestHandler } from 'express';
import type { ThreadLifecycle } from '../thread-lifecycle.js';
import { mayAccess, type ThreadAccessDeps } from './thread-access.js';
import { threadBody } from './thread-get.js';
import { parseCreateThreadBody } from './thread-metadata.js';

/**
 * `POST /threads`: a new conversation owned by the caller. A given `thread_id` that exists is a
 * 409 (`if_exists: raise`, the default) or, with `do_nothing`, the existing thread when the
 * caller may view it; a thread of someone else is a 409 either way, revealing nothing more.
 */
export function createThreadRoute(
  deps: ThreadAccessDeps & { lifecycle: ThreadLifecycle; now: () => Date },
): RequestHandler {
  return async (req, res) => {
    const { subject } = verifiedToken(req);
    const body = parseCreateThreadBody(req.body);
    const threadId = body.thread_id?.toLowerCase() ?? randomUUID();
    const existing = body.thread_id ? await deps.threads.get(threadId) : undefined;
    if (existing) {
      const visible = await mayAccess(deps, subject, threadId, 'viewer', req.log);
      if (body.if_exists !== 'do_nothing' || !visible)
        throw new AppError(409, 'thread_exists', 'the thread already exists');
      res.json(threadBody(existing));
      return;
    }
    const thread = await deps.lifecycle.create(
      subject,
      threadId,
      body.metadata ?? {},
      deps.now().toISOString(),
      req.log,
    );
    req.log.info({ thread_id: threadId }, 'thread created');
    res.json(threadBody(thread));
  };
}
