import type { ApiThread } from '@mcp-langgraph/protocol';
import { verifiedToken } from '@mcp-langgraph/resource-server';
import type { RequestHandler } from 'express';
import type { Thread } from '../store/threads.js';
import { parseThreadId, requireThread, type ThreadAccessDeps } from './thread-access.js';

/** A thread as the API shows it (search results and `GET /threads/{id}`). */
export function threadBody(t: Thread): ApiThread {
  return {
    thread_id: t.threadId,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    metadata: t.metadata,
    title: t.title,
  };
}

/** `GET /threads/{thread_id}`: the thread's bookkeeping (its messages are at `/state`). */
export function getThreadRoute(deps: ThreadAccessDeps): RequestHandler {
  return async (req, res) => {
    const { subject } = verifiedToken(req);
    const threadId = parseThreadId(req.params.thread_id);
    res.json(threadBody(await requireThread(deps, subject, threadId, 'viewer', req.log)));
  };
}
