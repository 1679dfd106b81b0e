import { isDeepStrictEqual } from 'node:util';
import type { RunnableConfig } from '@langchain/core/runnables';
import {
  BaseCheckpointSaver,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointTuple,
  type PendingWrite,
  type SerializerProtocol,
} from '@langchain/langgraph-checkpoint';
import { type Dialect, migrateToLatest } from '@mcp-langgraph/db';
import type { Kysely } from 'kysely';
import { type CheckpointRow, loadTuples } from './read.js';
import { type PruneOptions, type PruneResult, pruneThread } from './retention.js';
import { CHECKPOINT_MIGRATION_TABLE, type CheckpointDatabase, checkpointMigrations } from './schema.js';
import { copyThreadRows, deleteThreadRows } from './threads.js';
import { putCheckpoint, putTaskWrites } from './write.js';

export interface AgentCheckpointSaverOptions {
  dialect: Dialect;
  /** PostgreSQL schema holding the tables (its migration history lives there too). */
  schema?: string | undefined;
  /** `prune`'s default count of recent checkpoints to keep. */
  retained?: number | undefined;
  serde?: SerializerProtocol;
}

/** Rows read per query while listing; a filter is applied to each page until `limit` is reached. */
const PAGE = 100;

/**
 * JSON containment, as PostgreSQL's `@>` and the PostgreSQL saver's filter have it: objects
 * contain the keys asked for (recursively), arrays contain every element asked for, other values
 * are equal. Iterative, so a deeply nested filter cannot exhaust the stack.
 */
export function contains(actual: unknown, expected: unknown): boolean {
  const stack: Array<[unknown, unknown]> = [[actual, expected]];
  while (stack.length > 0) {
    const [a, e] = stack.pop()!;
    if (e === null || typeof e !== 'object') {
      if (!isDeepStrictEqual(a, e)) return false;
    } else if (Array.isArray(e)) {
      if (!Array.isArray(a)) return false;
      if (!e.every((item) => a.some((candidate) => contains(candidate, item)))) return false;
    } else {
      if (a === null || typeof a !== 'object' || Array.isArray(a)) return false;
      for (const [k, v] of Object.entries(e)) {
        if (!Object.hasOwn(a, k)) return false;
        stack.push([(a as Record<string, unknown>)[k], v]);
      }
    }
  }
  return true;
}

/**
 * The agent's checkpoint saver, over the project's Kysely database (SQLite or PostgreSQL). A
 * channel's value is written once per version; a list of messages is stored as ranges of the
 * thread's message log, so a conversation grows by its new messages, not by its whole history,
 * on every step. Pending writes are kept per task and returned in the order live execution
 * applies them. `prune` keeps what the history API and pending runs need; `copyThread` copies
 * inside the database. Tables are created on first use (`setup`).
 */
export class AgentCheckpointSaver extends BaseCheckpointSaver<number> {
  readonly db: Kysely<CheckpointDatabase>;
  private readonly options: AgentCheckpointSaverOptions;
  private ready: Promise<void> | undefined;

  constructor(db: Kysely<CheckpointDatabase>, options: AgentCheckpointSaverOptions) {
    super(options.serde);
    this.db = db;
    this.options = options;
  }

  /** Creates or migrates the tables once per saver; concurrent callers share the one attempt. */
  setup(): Promise<void> {
    this.ready ??= migrateToLatest(
      this.db as unknown as Kysely<unknown>,
      checkpointMigrations(this.options.dialect),
      CHECKPOINT_MIGRATION_TABLE,
      this.options.schema,
    ).catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const { thread_id, checkpoint_ns = '', checkpoint_id } = config.configurable ?? {};
    if (typeof thread_id !== 'string' || thread_id === '') return undefined;
    await this.setup();
    let query = this.db
      .selectFrom('agent_checkpoints')
      .selectAll()
      .where('thread_id', '=', thread_id)
      .where('checkpoint_ns', '=', String(checkpoint_ns));
    query = checkpoint_id
      ? query.where('checkpoint_id', '=', String(checkpoint_id))
      : query.orderBy('checkpoint_id', 'desc').limit(1);
    const row = await query.executeTakeFirst();
    if (!row) return undefined;
    const [tuple] = await loadTuples(this.db, this.serde, [row]);
    return tuple;
  }

  /** Newest first; `before`, `limit` and a metadata `filter` as the other LangGraph savers take them. */
  async *list(config: RunnableConfig, options: CheckpointListOptions = {}): AsyncGenerator<CheckpointTuple> {
    await this.setup();
    const { thread_id, checkpoint_ns, checkpoint_id } = config.configurable ?? {};
    const { before, limit, filter } = options;
    const hasFilter = filter !== undefined && Object.keys(filter).length > 0;
    let remaining = limit === undefined ? Number.POSITIVE_INFINITY : Math.max(0, Math.floor(limit));
    let cursor: CheckpointRow | undefined;
    while (remaining > 0) {
      let query = this.db.selectFrom('agent_checkpoints').selectAll();
      if (thread_id) query = query.where('thread_id', '=', String(thread_id));
      if (checkpoint_ns !== undefined && checkpoint_ns !== null)
        query = query.where('checkpoint_ns', '=', String(checkpoint_ns));
      if (checkpoint_id) query = query.where('checkpoint_id', '=', String(checkpoint_id));
      const beforeId = before?.configurable?.checkpoint_id;
      if (beforeId !== undefined) query = query.where('checkpoint_id', '<', String(beforeId));
      if (cursor) {
        const c = cursor;
        query = query.where((eb) =>
          eb.or([
            eb('checkpoint_id', '<', c.checkpoint_id),
            eb.and([
              eb('checkpoint_id', '=', c.checkpoint_id),
              eb.or([
                eb('thread_id', '<', c.thread_id),
                eb.and([eb('thread_id', '=', c.thread_id), eb('checkpoint_ns', '<', c.checkpoint_ns)]),
              ]),
            ]),
          ]),
        );
      }
      const page = hasFilter ? PAGE : Math.min(PAGE, remaining);
      const rows = await query
        .orderBy('checkpoint_id', 'desc')
        .orderBy('thread_id', 'desc')
        .orderBy('checkpoint_ns', 'desc')
        .limit(page)
        .execute();
      if (rows.length === 0) return;
      cursor = rows.at(-1);
      // The filter looks at metadata only, so rows it rejects are never loaded (their values can be large).
      const wanted: CheckpointRow[] = [];
      for (const row of rows) {
        if (wanted.length >= remaining) break;
        if (!hasFilter || contains(await this.serde.loadsTyped(row.metadata_type, row.metadata), filter))
          wanted.push(row);
      }
      for (const tuple of await loadTuples(this.db, this.serde, wanted)) {
        yield tuple;
        if (--remaining <= 0) return;
      }
      if (rows.length < page) return;
    }
  }

  async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    await this.setup();
    return putCheckpoint(
      this.db,
      this.serde,
      config,
      checkpoint,
      metadata,
      newVersions,
      this.options.dialect,
    );
  }

  async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string, taskPath?: string) {
    await this.setup();
    await putTaskWrites(this.db, this.serde, config, writes, taskId, taskPath ?? '', this.options.dialect);
  }

  async deleteThread(threadId: string): Promise<void> {
    await this.setup();
    await deleteThreadRows(this.db, threadId);
  }

  /** Makes `to` an independent copy of `from` (replacing whatever `to` held). */
  async copyThread(from: string, to: string): Promise<void> {
    await this.setup();
    await copyThreadRows(this.db, from, to);
  }

  /** Drops the checkpoints of a thread that history and pending runs do not need, with what only they used. */
  async prune(threadId: string, options: PruneOptions = {}): Promise<PruneResult> {
    await this.setup();
    return pruneThread(this.db, threadId, { retained: options.retained ?? this.options.retained });
  }

  /**
   * The next integer plus a random fraction. A run resumed from an older checkpoint (a fork)
   * counts versions up from that checkpoint, so plain integers would repeat versions the newer
   * checkpoints already used, and a value stored once per version would be read for the wrong
   * branch. The fraction keeps versions unique per thread while they still increase.
   */
  override getNextVersion(current: number | undefined): number {
    if (typeof current === 'string') throw new Error('string channel versions are not supported');
    return Math.floor(current ?? 0) + 1 + Math.random();
  }
}
