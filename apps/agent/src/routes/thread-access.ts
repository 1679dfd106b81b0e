import type { Authorizer } from '@mcp-langgraph/authz';
import { badRequest, type Logger, notFound } from '@mcp-langgraph/observability';
import { conversationObject, threadIdSchema } from '@mcp-langgraph/protocol';
import { verifiedToken } from '@mcp-langgraph/resource-server';
import type { Request } from 'express';
import type { Thread, ThreadStore } from '../store/threads.js';
import { authzUnavailable } from '../thread-lifecycle.js';

export { authzUnavailable };

/** A path id, lower-cased so one thread or run has one spelling; 400 when it is not a UUID. */
export function parseId(
  value: unknown,
  name: 'thread_id' | 'run_id' | 'checkpoint_id' = 'thread_id',
): string {
  const r = threadIdSchema.safeParse(value);
  if (!r.success) throw badRequest(`${name} must be a UUID`, `invalid_${name}`);
  return r.data.toLowerCase();
}

/** The thread id of a path (400 when it is not a UUID). */
export const parseThreadId = (value: unknown) => parseId(value, 'thread_id');

export interface ThreadAccessDeps {
  authorizer: Authorizer;
  threads: ThreadStore;
}

/** What a caller may do with a conversation, weakest first (the model's `conversation` relations). */
export type ThreadRelation = 'viewer' | 'editor' | 'owner';

/** Whether `subject` holds `relation` on the thread; an authorizer failure denies (503). */
export async function mayAccess(
  deps: ThreadAccessDeps,
  subject: string,
  threadId: string,
  relation: ThreadRelation,
  log: Logger,
): Promise<boolean> {
  try {
    return await deps.authorizer.check({ user: subject, relation, object: conversationObject(threadId) });
  } catch (err) {
    log.error({ err, thread_id: threadId, relation }, 'authorization check failed');
    throw authzUnavailable();
  }
}

/**
 * The thread, if `subject` holds `relation` on it. A thread that does not exist and one the caller
 * may not see get the same 404, so ids cannot be probed. An authorizer failure denies (503).
 */
export async function requireThread(
  deps: ThreadAccessDeps,
  subject: string,
  threadId: string,
  relation: ThreadRelation,
  log: Logger,
): Promise<Thread> {
  const allowed = await mayAccess(deps, subject, threadId, relation, log);
  const thread = allowed ? await deps.threads.get(threadId) : undefined;
  if (!thread) throw notFound('no such thread');
  return thread;
}

/** The thread of the request's `thread_id`, checked for `relation` of the caller. */
export function threadOfRequest(
  deps: ThreadAccessDeps,
  req: Request,
  relation: ThreadRelation,
): Promise<Thread> {
  return requireThread(
    deps,
    verifiedToken(req).subject,
    parseThreadId(req.params.thread_id),
    relation,
    req.log,
  );
}
