import {
  CONVERSATION_TYPE,
  searchThreadsBodySchema,
  threadIdOf,
  threadIdSchema,
} from '@mcp-langgraph/protocol';
import { verifiedToken } from '@mcp-langgraph/resource-server';
import type { RequestHandler } from 'express';
import { parseBody } from './parse.js';
import { authzUnavailable, type ThreadAccessDeps } from './thread-access.js';
import { threadBody } from './thread-get.js';

/** Only ids that could name a thread reach the database (tuples are written by more than the agent). */
const isThreadId = (id: string | undefined): id is string =>
  id !== undefined && threadIdSchema.safeParse(id).success;

/** `POST /threads/search`: the conversations the caller may view, most recently active first. */
export function searchThreadsRoute(deps: ThreadAccessDeps): RequestHandler {
  return async (req, res) => {
    const { subject } = verifiedToken(req);
    const { limit, offset } = parseBody(searchThreadsBodySchema, req.body ?? {});
    let objects: string[];
    try {
      objects = await deps.authorizer.listObjects({
        user: subject,
        relation: 'viewer',
        type: CONVERSATION_TYPE,
      });
    } catch (err) {
      req.log.error({ err }, 'listing viewable conversations failed');
      throw authzUnavailable();
    }
    const threads = await deps.threads.list(objects.map(threadIdOf).filter(isThreadId), limit, offset);
    res.json(threads.map(threadBody));
  };
}
