import { notFound } from '@mcp-langgraph/observability';
import { patchThreadBodySchema } from '@mcp-langgraph/protocol';
import type { RequestHandler } from 'express';
import { type ThreadAccessDeps, threadOfRequest } from './thread-access.js';
import { threadBody } from './thread-get.js';
import { parseWithMetadata } from './thread-metadata.js';

/** `PATCH /threads/{thread_id}`: merges metadata into the thread's (as an editor). */
export function patchThreadRoute(deps: ThreadAccessDeps & { now: () => Date }): RequestHandler {
  return async (req, res) => {
    const thread = await threadOfRequest(deps, req, 'editor');
    const { metadata } = parseWithMetadata(patchThreadBodySchema, req.body);
    const patched = await deps.threads.patchMetadata(thread.threadId, metadata, deps.now().toISOString());
    if (!patched) throw notFound('no such thread');
    res.json(threadBody(patched));
  };
}
