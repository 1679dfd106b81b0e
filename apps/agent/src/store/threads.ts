import type { Kysely, Transaction } from 'kysely';

export interface ThreadsTable {
  thread_id: string;
  owner: string;
  title: string | null;
  metadata: string;
  created_at: string;
  updated_at: string;
}

export interface AgentDatabase {
  agent_threads: ThreadsTable;
}

/** A conversation's bookkeeping; its messages live in the checkpointer. */
export interface Thread {
  threadId: string;
  /** Authorization subject that created it (`user:<id>` or `client:<id>`). */
  owner: string;
  title: string | null;
  metadata: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export const TITLE_LENGTH = 80;
const LIST_CHUNK = 500;

/**
 * The first user message, on one line, cut at a word boundary where possible. Control characters
 * become spaces like line breaks do: a title is for display, and PostgreSQL text cannot hold NUL
 * (the message itself is kept as sent in the checkpoints).
 */
export function titleFrom(text: string): string {
  const line = text.replace(/[\s\p{Cc}]+/gu, ' ').trim();
  if (line.length <= TITLE_LENGTH) return line;
  const cut = line.slice(0, TITLE_LENGTH - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > TITLE_LENGTH / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function toThread(row: ThreadsTable): Thread {
  return {
    threadId: row.thread_id,
    owner: row.owner,
    title: row.title,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Thread rows in the agent's database (SQLite or PostgreSQL through Kysely). */
export function createThreadStore(db: Kysely<AgentDatabase>) {
  const rows = () => db.selectFrom('agent_threads').selectAll();
  return {
    /**
     * Inserts the row and runs `alongside` inside the same transaction: if `alongside` throws, the
     * row is rolled back, so a thread exists only together with whatever `alongside` wrote.
     */
    async create(thread: Thread, alongside: () => Promise<void>): Promise<void> {
      await db.transaction().execute(async (trx: Transaction<AgentDatabase>) => {
        await trx
          .insertInto('agent_threads')
          .values({
            thread_id: thread.threadId,
            owner: thread.owner,
            title: thread.title,
            metadata: JSON.stringify(thread.metadata),
            created_at: thread.createdAt,
            updated_at: thread.updatedAt,
          })
          .execute();
        await alongside();
      });
    },

    async get(threadId: string): Promise<Thread | undefined> {
      const row = await rows().where('thread_id', '=', threadId).executeTakeFirst();
      return row ? toThread(row) : undefined;
    },

    /** Threads among `threadIds`, most recently active first. */
    async list(threadIds: readonly string[], limit: number, offset: number): Promise<Thread[]> {
      // Bound the bind parameters per statement (SQLite caps them); each chunk only needs its top rows.
      const found: ThreadsTable[] = [];
      for (let i = 0; i < threadIds.length; i += LIST_CHUNK) {
        found.push(
          ...(await rows()
            .where('thread_id', 'in', threadIds.slice(i, i + LIST_CHUNK))
            .orderBy('updated_at', 'desc')
            .orderBy('thread_id')
            .limit(offset + limit)
            .execute()),
        );
      }
      found.sort((a, b) =>
        a.updated_at === b.updated_at
          ? a.thread_id.localeCompare(b.thread_id)
          : a.updated_at < b.updated_at
            ? 1
            : -1,
      );
      return found.slice(offset, offset + limit).map(toThread);
    },

    /** Removes the row; true when there was one. */
    async delete(threadId: string): Promise<boolean> {
      const result = await db
        .deleteFrom('agent_threads')
        .where('thread_id', '=', threadId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    /** Marks activity after a run; the title is set once, from the first message. */
    async touch(threadId: string, at: string, firstMessage: string): Promise<void> {
      const row = await db
        .selectFrom('agent_threads')
        .select('title')
        .where('thread_id', '=', threadId)
        .executeTakeFirst();
      await db
        .updateTable('agent_threads')
        .set(
          row && row.title === null ? { updated_at: at, title: titleFrom(firstMessage) } : { updated_at: at },
        )
        .where('thread_id', '=', threadId)
        .execute();
    },
  };
}

export type ThreadStore = ReturnType<typeof createThreadStore>;
