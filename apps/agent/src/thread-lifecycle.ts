import type { BaseCheckpointSaver } from '@langchain/langgraph';
import type { Authorizer } from '@mcp-langgraph/authz';
import type { Database } from '@mcp-langgraph/db';
import { AppError, type Logger } from '@mcp-langgraph/observability';
import { conversationObject } from '@mcp-langgraph/protocol';
import type { RunStore } from './store/runs.js';
import type { AgentDatabase, Thread, ThreadStore } from './store/threads.js';

export interface ThreadLifecycleDeps {
  database: Database<AgentDatabase>;
  threads: ThreadStore;
  runs: RunStore;
  authorizer: Authorizer;
  saver: BaseCheckpointSaver;
}

/** Authorization could not be decided: deny, and say the service is unavailable rather than "no". */
export function authzUnavailable(): AppError {
  return new AppError(503, 'authz_unavailable', 'authorization is temporarily unavailable', {
    'Retry-After': '5',
  });
}

class OwnershipWriteError extends Error {
  constructor(override readonly cause: unknown) {
    super('ownership tuple write failed');
  }
}

/** Relations a thread may be shared with. */
export type ShareRole = 'viewer' | 'editor';

/**
 * Creating and removing a conversation with everything that belongs to it: the thread row and
 * its owner tuple are written together (the row's transaction commits only after the tuple
 * write succeeded; the tuple is taken back if the commit fails), and removal takes the row, the
 * runs, the checkpoints and every tuple the agent wrote for the thread.
 */
export function createThreadLifecycle(deps: ThreadLifecycleDeps) {
  const { db } = deps.database;
  return {
    /** A new thread owned by `subject`; 503 when the owner tuple cannot be written. */
    async create(
      subject: string,
      threadId: string,
      metadata: Record<string, unknown>,
      at: string,
      log: Logger,
    ): Promise<Thread> {
      const owner = { user: subject, relation: 'owner', object: conversationObject(threadId) };
      const thread: Thread = {
        threadId,
        owner: subject,
        title: null,
        metadata,
        createdAt: at,
        updatedAt: at,
        status: 'idle',
      };
      try {
        await deps.threads.create(thread, async () => {
          try {
            await deps.authorizer.write([owner]);
          } catch (err) {
            throw new OwnershipWriteError(err);
          }
        });
      } catch (err) {
        await deps.authorizer.write([], [owner]).catch(() => undefined);
        if (err instanceof OwnershipWriteError) {
          log.error(
            { err: err.cause, thread_id: threadId },
            'ownership tuple write failed; thread not created',
          );
          throw authzUnavailable();
        }
        // Two requests creating one id: the second insert fails on the key.
        if (await deps.threads.get(threadId))
          throw new AppError(409, 'thread_exists', 'the thread already exists');
        throw err;
      }
      return thread;
    },

    /** Grants `role` to `subject` and remembers it, so removal can take it back. */
    async share(threadId: string, subject: string, role: ShareRole): Promise<void> {
      await deps.authorizer.write([{ user: subject, relation: role, object: conversationObject(threadId) }]);
      await db
        .insertInto('agent_thread_shares')
        .values({ thread_id: threadId, subject, role })
        .onConflict((oc) => oc.doNothing())
        .execute();
    },

    async unshare(threadId: string, subject: string, role: ShareRole): Promise<void> {
      await deps.authorizer.write(
        [],
        [{ user: subject, relation: role, object: conversationObject(threadId) }],
      );
      await db
        .deleteFrom('agent_thread_shares')
        .where('thread_id', '=', threadId)
        .where('subject', '=', subject)
        .where('role', '=', role)
        .execute();
    },

    /**
     * Removes the thread: the row first (once it is gone the thread is invisible even if a later
     * step fails), then its runs, checkpoints and tuples. Tuples that could not be removed point
     * at nothing: every read joins the thread table.
     */
    async remove(thread: Thread, log: Logger): Promise<void> {
      await deps.threads.delete(thread.threadId);
      await deps.runs.deleteForThread(thread.threadId);
      await deps.saver.deleteThread(thread.threadId);
      const shares = await db
        .selectFrom('agent_thread_shares')
        .selectAll()
        .where('thread_id', '=', thread.threadId)
        .execute();
      const object = conversationObject(thread.threadId);
      const tuples = [
        { user: thread.owner, relation: 'owner', object },
        ...shares.map((s) => ({ user: s.subject, relation: s.role, object })),
      ];
      // One tuple per write: an engine that refuses to delete a missing tuple fails that one only.
      for (const tuple of tuples)
        await deps.authorizer
          .write([], [tuple])
          .catch((err: unknown) => log.warn({ err, thread_id: thread.threadId }, 'thread tuple not removed'));
      await db.deleteFrom('agent_thread_shares').where('thread_id', '=', thread.threadId).execute();
    },
  };
}

export type ThreadLifecycle = ReturnType<typeof createThreadLifecycle>;
