import type { Authorizer } from '@mcp-langgraph/authz';
import { AppError, badRequest, type Logger, notFound } from '@mcp-langgraph/observability';
import { conversationObject, threadIdSchema } from '@mcp-langgraph/protocol';
import type { Thread, ThreadStore } from '../store/threads.js';

/** The thread id of a path, lower-cased so one thread has one spelling; 400 when it is not a UUID. */
export function parseThreadId(value: unknown): string {
  const r = threadIdSchema.safeParse(value);
  if (!r.success) throw badRequest('thread_id must be a UUID', 'invalid_thread_id');
  return r.data.toLowerCase();
}

/** Authorization could not be decided: deny, and say the service is unavailable rather than "no". */
export function authzUnavailable(): AppError {
  return new AppError(503, 'authz_unavailable', 'authorization is temporarily unavailable', {
    'Retry-After': '5',
  });
}

export interface ThreadAccessDeps {
  authorizer: Authorizer;
  threads: ThreadStore;
}

/** What a caller may do with a conversation, weakest first (the model's `conversation` relations). */
export type ThreadRelation = 'viewer' | 'editor' | 'owner';

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
  let allowed: boolean;
  try {
    allowed = await deps.authorizer.check({ user: subject, relation, object: conversationObject(threadId) });
  } catch (err) {
    log.error({ err, thread_id: threadId, relation }, 'authorization check failed');
    throw authzUnavailable();
  }
  const thread = allowed ? await deps.threads.get(threadId) : undefined;
  if (!thread) throw notFound('no such thread');
  return thread;
}
