import type { ThreadStatus } from '@mcp-langgraph/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { RunEventsTable, RunsTable } from './runs.js';

export interface ThreadsTable {
  thread_id: string;
  owner: string;
  title: string | null;
  metadata: string;
  created_at: string;
  updated_at: string;
  status: string;
}

export interface AgentDatabase {
  agent_threads: ThreadsTable;
  agent_runs: RunsTable;
  agent_run_events: RunEventsTable;
  agent_thread_shares: { thread_id: string; subject: string; role: string };
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
  status: ThreadStatus;
}

/** Which of the caller's threads a search or count keeps. */
export interface ThreadFilter {
  metadata?: Record<string, unknown> | undefined;
  status?: ThreadStatus | undefined;
  ids?: readonly string[] | undefined;
}

export interface ThreadSort {
  by: 'thread_id' | 'status' | 'created_at' | 'updated_at';
  order: 'asc' | 'desc';
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSONB-style containment, as the platform filters metadata: every key of `subset` matches, objects recursively. */
export function contains(superset: unknown, subset: Record<string, unknown>): boolean {
  // An explicit stack: metadata is bounded in depth already, but no input should drive recursion.
  const stack: Array<[unknown, Record<string, unknown>]> = [[superset, subset]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [whole, part] = next;
    if (!isObject(whole)) return false;
    for (const [key, want] of Object.entries(part)) {
      if (!Object.hasOwn(whole, key)) return false;
      const have = whole[key];
      if (isObject(want)) stack.push([have, want]);
      else if (JSON.stringify(have) !== JSON.stringify(want)) return false;
    }
  }
  return true;
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
    status: row.status as ThreadStatus,
  };
}

function compare(sort: ThreadSort) {
  const sign = sort.order === 'asc' ? 1 : -1;
  const key = (t: Thread): string =>
    sort.by === 'thread_id'
      ? t.threadId
      : sort.by === 'status'
        ? t.status
        : sort.by === 'created_at'
          ? t.createdAt
          : t.updatedAt;
  return (a: Thread, b: Thread) => {
    const x = key(a);
    const y = key(b);
    if (x !== y) return x < y ? -sign : sign;
    return a.threadId < b.threadId ? -1 : a.threadId > b.threadId ? 1 : 0;
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
            status: thread.status,
          })
          .execute();
        await alongside();
      });
    },

    async get(threadId: string): Promise<Thread | undefined> {
      const row = await rows().where('thread_id', '=', threadId).executeTakeFirst();
      return row ? toThread(row) : undefined;
    },

    /** The threads among `threadIds` that pass `filter`, in no particular order. */
    async matching(threadIds: readonly string[], filter: ThreadFilter): Promise<Thread[]> {
      const wanted = filter.ids ? new Set(filter.ids) : undefined;
      const ids = wanted ? threadIds.filter((id) => wanted.has(id)) : threadIds;
      const found: Thread[] = [];
      // Bound the bind parameters per statement (SQLite caps them).
      for (let i = 0; i < ids.length; i += LIST_CHUNK) {
        let q = rows().where('thread_id', 'in', ids.slice(i, i + LIST_CHUNK));
        if (filter.status) q = q.where('status', '=', filter.status);
        for (const row of await q.execute()) {
          const thread = toThread(row);
          if (!filter.metadata || contains(thread.metadata, filter.metadata)) found.push(thread);
        }
      }
      return found;
    },
    /** A page of the matching threads in `sort` order (ties by id). */
    async search(
      threadIds: readonly string[],
      filter: ThreadFilter,
      sort: ThreadSort,
      limit: number,
      offset: number,
    ): Promise<Thread[]> {
      const found = await this.matching(threadIds, filter);
      return found.sort(compare(sort)).slice(offset, offset + limit);
    },
    /** Merges `metadata` into the thread's. */
    async patchMetadata(
      threadId: string,
      metadata: Record<string, unknown>,
      at: string,
    ): Promise<Thread | undefined> {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('agent_threads')
          .selectAll()
          .where('thread_id', '=', threadId)
          .executeTakeFirst();
        if (!row) return undefined;
        const merged = { ...(JSON.parse(row.metadata) as Record<string, unknown>), ...metadata };
        await trx
          .updateTable('agent_threads')
          .set({ metadata: JSON.stringify(merged), updated_at: at })
          .where('thread_id', '=', threadId)
          .execute();
        return toThread({ ...row, metadata: JSON.stringify(merged), updated_at: at });
      });
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
    async touch(threadId: string, at: string, firstMessage: string | undefined): Promise<void> {
      const row = await db
        .selectFrom('agent_threads')
        .select('title')
        .where('thread_id', '=', threadId)
        .executeTakeFirst();
      await db
        .updateTable('agent_threads')
        .set(
          row && row.title === null && firstMessage
            ? { updated_at: at, title: titleFrom(firstMessage) }
            : { updated_at: at },
        )
        .where('thread_id', '=', threadId)
        .execute();
    },
  };
}

export type ThreadStore = ReturnType<typeof createThreadStore>;
