import {
  CONVERSATION_TYPE,
  countThreadsBodySchema,
  searchThreadsBodySchema,
  threadIdOf,
  threadIdSchema,
} from '@mcp-langgraph/protocol';
import { verifiedToken } from '@mcp-langgraph/resource-server';
import type { Request, RequestHandler } from 'express';
import { parseBody } from './parse.js';
import { authzUnavailable, type ThreadAccessDeps } from './thread-access.js';
import { threadBody } from './thread-get.js';

/** Only ids that could name a thread reach the database (tuples are written by more than the agent). */
const isThreadId = (id: string | undefined): id is string =>
  id !== undefined && threadIdSchema.safeParse(id).success;

/** The ids of every conversation the caller may view, through the authorizer's list-objects. */
async function viewable(deps: ThreadAccessDeps, req: Request): Promise<string[]> {
  try {
    const objects = await deps.authorizer.listObjects({
      user: verifiedToken(req).subject,
      relation: 'viewer',
      type: CONVERSATION_TYPE,
    });
    return objects.map(threadIdOf).filter(isThreadId);
  } catch (err) {
    req.log.error({ err }, 'listing viewable conversations failed');
    throw authzUnavailable();
  }
}

/**
 * `POST /threads/search`: the conversations the caller may view that match the metadata
 * (containment), status and ids asked for, sorted (`updated_at` newest first by default) and paged.
 */
export function searchThreadsRoute(deps: ThreadAccessDeps): RequestHandler {
  return async (req, res) => {
    const body = parseBody(searchThreadsBodySchema, req.body ?? {});
    const ids = await viewable(deps, req);
    const sort = { by: body.sort_by ?? 'updated_at', order: body.sort_order ?? 'desc' } as const;
    const filter = {
      metadata: body.metadata,
      status: body.status,
      ids: body.ids?.map((id) => id.toLowerCase()),
    };
    const threads = await deps.threads.search(ids, filter, sort, body.limit, body.offset);
    const select = body.select ? new Set(body.select) : undefined;
    res.setHeader('X-Pagination-Total', String(body.offset + threads.length));
    if (threads.length === body.limit) res.setHeader('X-Pagination-Next', String(body.offset + body.limit));
    res.json(
      threads.map((t) => {
        const full = threadBody(t);
        return select ? Object.fromEntries(Object.entries(full).filter(([k]) => select.has(k))) : full;
      }),
    );
  };
}

/** `POST /threads/count`: how many of the caller's conversations match. */
export function countThreadsRoute(deps: ThreadAccessDeps): RequestHandler {
  return async (req, res) => {
    const body = parseBody(countThreadsBodySchema, req.body ?? {});
    const ids = await viewable(deps, req);
    res.json((await deps.threads.matching(ids, { metadata: body.metadata, status: body.status })).length);
  };
}
