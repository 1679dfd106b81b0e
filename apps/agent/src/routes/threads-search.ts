import type { Authorizer } from '@mcp-langgraph/authz';
import { assertScopes } from '@mcp-langgraph/resource-server';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { ThreadStore } from '../store/threads.js';
import { authzUnavailable, parseBody, threadIdSchema } from './common.js';
import { threadBody } from './thread-get.js';

const bodySchema = z.object({
  limit: z.number().int().min(1).max(100).default(20),
  offset: z.number().int().min(0).max(100_000).default(0),
});

/** `POST /threads/search`: the conversations the caller may view, most recently active first. */
export function searchThreadsRoute(deps: { authorizer: Authorizer; threads: ThreadStore }): RequestHandler {
  return async (req, res) => {
    const token = assertScopes(req.token, ['conversations:read']);
    const { limit, offset } = parseBody(bodySchema, req.body ?? {});
    let objects: string[];
    try {
      objects = await deps.authorizer.listObjects({
        user: token.subject,
        relation: 'viewer',
        type: 'conversation',
      });
    } catch (err) {
      req.log.error({ err }, 'listing viewable conversations failed');
      throw authzUnavailable();
    }
    const ids = objects
      .map((o) => o.slice('conversation:'.length))
      .filter((id) => threadIdSchema.safeParse(id).success);
    const threads = await deps.threads.list(ids, limit, offset);
    res.json(threads.map(threadBody));
  };
}
