import type { ApiThread } from '@mcp-langgraph/protocol';
import type { RequestHandler } from 'express';
import type { Thread } from '../store/threads.js';
import { type ThreadAccessDeps, threadOfRequest } from './thread-access.js';

/** A thread as the API shows it (`values` only where the route reads the state). */
export function threadBody(t: Thread, values?: unknown): ApiThread {
  return {
    thread_id: t.threadId,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    state_updated_at: t.updatedAt,
    metadata: t.metadata,
    status: t.status,
    ...(values === undefined ? {} : { values }),
    interrupts: {},
    title: t.title,
  };
}

/** `GET /threads/{thread_id}`: the thread with its current values. */
export function getThreadRoute(
  deps: ThreadAccessDeps & { values(threadId: string): Promise<unknown> },
): RequestHandler {
  return async (req, res) => {
    const thread = await threadOfRequest(deps, req, 'viewer');
    res.json(threadBody(thread, await deps.values(thread.threadId)));
  };
}
