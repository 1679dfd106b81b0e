import { randomUUID } from 'node:crypto';
import { type ApiThread, conversationObject } from '@mcp-langgraph/protocol';
import { verifiedToken } from '@mcp-langgraph/resource-server';
import type { RequestHandler } from 'express';
import { authzUnavailable, type ThreadAccessDeps } from './thread-access.js';
import { parseCreateThreadBody } from './thread-metadata.js';

/** `POST /threads`: a new conversation owned by the caller. */
export function createThreadRoute(deps: ThreadAccessDeps & { now: () => Date }): RequestHandler {
  return async (req, res) => {
    const { subject } = verifiedToken(req);
    const { metadata = {} } = parseCreateThreadBody(req.body);
    const threadId = randomUUID();
    const at = deps.now().toISOString();
    const owner = { user: subject, relation: 'owner', object: conversationObject(threadId) };
    try {
      // The ownership tuple is written inside the row's transaction: either both exist or neither.
      await deps.threads.create(
        { threadId, owner: subject, title: null, metadata, createdAt: at, updatedAt: at },
        async () => {
          try {
            await deps.authorizer.write([owner]);
          } catch (err) {
            throw new OwnershipWriteError(err);
          }
        },
      );
    } catch (err) {
      // The row did not commit; take back the tuple in case it was stored after all, so nothing dangles.
      await deps.authorizer.write([], [owner]).catch(() => undefined);
      if (err instanceof OwnershipWriteError) {
        req.log.error(
          { err: err.cause, thread_id: threadId },
          'ownership tuple write failed; thread not created',
        );
        throw authzUnavailable();
      }
      throw err;
    }
    req.log.info({ thread_id: threadId }, 'thread created');
    const created: ApiThread = { thread_id: threadId, created_at: at, metadata };
    res.status(201).json(created);
  };
}

class OwnershipWriteError extends Error {
  constructor(override readonly cause: unknown) {
    super('ownership tuple write failed');
  }
}
