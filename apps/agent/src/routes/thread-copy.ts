import { randomUUID } from 'node:crypto';
import { verifiedToken } from '@mcp-langgraph/resource-server';
import type { RequestHandler } from 'express';
import type { CheckpointOps } from '../thread-checkpoints.js';
import type { ThreadLifecycle } from '../thread-lifecycle.js';
import { type ThreadAccessDeps, threadOfRequest } from './thread-access.js';
import { threadBody } from './thread-get.js';

/** `POST /threads/{thread_id}/copy`: a new thread of the caller's with the same metadata and history. */
export function copyThreadRoute(
  deps: ThreadAccessDeps & { lifecycle: ThreadLifecycle; checkpoints: CheckpointOps; now: () => Date },
): RequestHandler {
  return async (req, res) => {
    const source = await threadOfRequest(deps, req, 'viewer');
    const threadId = randomUUID();
    const copy = await deps.lifecycle.create(
      verifiedToken(req).subject,
      threadId,
      { ...source.metadata },
      deps.now().toISOString(),
      req.log,
    );
    await deps.checkpoints.copyThread(source.threadId, threadId);
    // The title goes with the history it summarises.
    if (source.title) await deps.threads.touch(threadId, copy.updatedAt, source.title);
    req.log.info({ thread_id: threadId, from: source.threadId }, 'thread copied');
    res.json(threadBody({ ...copy, title: source.title }));
  };
}
