import { randomUUID } from 'node:crypto';
import type { Authorizer } from '@mcp-langgraph/authz';
import { assertScopes } from '@mcp-langgraph/resource-server';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { ThreadStore } from '../store/threads.js';
import { authzUnavailable, conversationObject, parseBody } from './common.js';

const MAX_METADATA_BYTES = 4096;

const bodySchema = z.object({
  metadata: z
    .record(z.string(), z.unknown(), { error: 'metadata must be an object' })
    .optional()
    .refine((m) => m === undefined || JSON.stringify(m).length <= MAX_METADATA_BYTES, {
      error: `metadata must serialize to at most ${MAX_METADATA_BYTES} characters`,
    }),
});

/** `POST /threads`: a new conversation owned by the caller. */
export function createThreadRoute(deps: {
  authorizer: Authorizer;
  threads: ThreadStore;
  now: () => Date;
}): RequestHandler {
  return async (req, res) => {
    const token = assertScopes(req.token, ['conversations:write']);
    const { metadata = {} } = parseBody(bodySchema, req.body ?? {});
    const threadId = randomUUID();
    const at = deps.now().toISOString();
    const owner = { user: token.subject, relation: 'owner', object: conversationObject(threadId) };
    try {
      // The ownership tuple is written inside the row's transaction: either both exist or neither.
      await deps.threads.create(
        { threadId, owner: token.subject, title: null, metadata, createdAt: at, updatedAt: at },
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
    res.status(201).json({ thread_id: threadId, created_at: at, metadata });
  };
}

class OwnershipWriteError extends Error {
  constructor(override readonly cause: unknown) {
    super('ownership tuple write failed');
  }
}
