import type { Dialect } from '@mcp-langgraph/db';
import { CompiledQuery, type Kysely } from 'kysely';
import type {
  CheckpointDatabase,
  CheckpointsTable,
  MessagesTable,
  ValuesTable,
  WritesTable,
} from './schema.js';

/**
 * The statements every graph step runs, written as SQL text. Building them through Kysely's query
 * builder cost more than running them (about a third of a millisecond each, several per step);
 * the rest of the saver keeps the builder. Table and column names are fixed identifiers here,
 * never input; every value is a bound parameter.
 */
class Statement {
  readonly params: unknown[] = [];
  constructor(private readonly dialect: Dialect) {}

  /** A placeholder for `value`. */
  p(value: unknown): string {
    this.params.push(value);
    return this.dialect === 'postgres' ? `$${this.params.length}` : '?';
  }

  values(rows: ReadonlyArray<readonly unknown[]>): string {
    return rows.map((row) => `(${row.map((v) => this.p(v)).join(', ')})`).join(', ');
  }

  compile(text: string): CompiledQuery {
    return CompiledQuery.raw(text, this.params);
  }
}

/** Rows as the tables hold them (see schema.ts). */
export type LogRow = MessagesTable;
export type ValueRow = ValuesTable;
export type CheckpointRowValues = CheckpointsTable;
export type WriteRow = WritesTable;

const logSql = (s: Statement, rows: readonly LogRow[]) =>
  `insert into agent_checkpoint_messages (thread_id, checkpoint_ns, seq, digest, type, blob) values ${s.values(
    rows.map((r) => [r.thread_id, r.checkpoint_ns, r.seq, r.digest, r.type, r.blob]),
  )}`;

const valuesSql = (s: Statement, rows: readonly ValueRow[]) =>
  `insert into agent_checkpoint_values (thread_id, checkpoint_ns, channel, version, checkpoint_id, type, blob) values ${s.values(
    rows.map((r) => [r.thread_id, r.checkpoint_ns, r.channel, r.version, r.checkpoint_id, r.type, r.blob]),
  )} on conflict (thread_id, checkpoint_ns, channel, version) do nothing`;

const checkpointSql = (s: Statement, r: CheckpointRowValues) =>
  `insert into agent_checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata_type, metadata, run_id) values ${s.values(
    [
      [
        r.thread_id,
        r.checkpoint_ns,
        r.checkpoint_id,
        r.parent_checkpoint_id,
        r.checkpoint,
        r.metadata_type,
        r.metadata,
        r.run_id,
      ],
    ],
  )} on conflict (thread_id, checkpoint_ns, checkpoint_id) do update set checkpoint = excluded.checkpoint, metadata_type = excluded.metadata_type, metadata = excluded.metadata, run_id = excluded.run_id`;

type Db = Kysely<CheckpointDatabase>;

/**
 * Writes a checkpoint with its new values and log rows. PostgreSQL gets one statement (the log
 * and value inserts as data-modifying CTEs): atomic by itself, one round trip and one commit.
 * SQLite, which has no such CTEs, and checkpoints with more rows than one statement should bind,
 * get separate inserts of at most `chunk` rows; the caller holds a transaction then.
 */
export async function writeCheckpoint(
  db: Db,
  dialect: Dialect,
  log: readonly LogRow[],
  values: readonly ValueRow[],
  checkpoint: CheckpointRowValues,
  chunk: number,
): Promise<void> {
  if (dialect === 'postgres' && log.length <= chunk && values.length <= chunk) {
    const s = new Statement(dialect);
    const ctes: string[] = [];
    if (log.length > 0) ctes.push(`log_rows as (${logSql(s, log)})`);
    if (values.length > 0) ctes.push(`value_rows as (${valuesSql(s, values)})`);
    const main = checkpointSql(s, checkpoint);
    await db.executeQuery(s.compile(ctes.length > 0 ? `with ${ctes.join(', ')} ${main}` : main));
    return;
  }
  const run = async (build: (s: Statement) => string) => {
    const s = new Statement(dialect);
    const text = build(s);
    await db.executeQuery(s.compile(text));
  };
  for (let i = 0; i < log.length; i += chunk) await run((s) => logSql(s, log.slice(i, i + chunk)));
  for (let i = 0; i < values.length; i += chunk) await run((s) => valuesSql(s, values.slice(i, i + chunk)));
  await run((s) => checkpointSql(s, checkpoint));
}

/** Inserts a task's writes; `replace` overwrites rows at the same index (the special channels). */
export async function insertWrites(
  db: Db,
  dialect: Dialect,
  rows: readonly WriteRow[],
  replace: boolean,
): Promise<void> {
  const s = new Statement(dialect);
  const conflict = replace
    ? 'do update set channel = excluded.channel, type = excluded.type, blob = excluded.blob, task_path = excluded.task_path'
    : 'do nothing';
  const text = `insert into agent_checkpoint_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, blob, task_path) values ${s.values(
    rows.map((r) => [
      r.thread_id,
      r.checkpoint_ns,
      r.checkpoint_id,
      r.task_id,
      r.idx,
      r.channel,
      r.type,
      r.blob,
      r.task_path,
    ]),
  )} on conflict (thread_id, checkpoint_ns, checkpoint_id, task_id, idx) ${conflict}`;
  await db.executeQuery(s.compile(text));
}

/** The newest message list stored for a channel (its reference blob) and the last log position. */
export async function selectBase(
  db: Db,
  dialect: Dialect,
  where: { thread_id: string; checkpoint_ns: string },
  channel: string,
  type: string,
): Promise<{ base: Uint8Array | null; last_seq: number | string | null }> {
  const s = new Statement(dialect);
  const text =
    `select (select blob from agent_checkpoint_values where thread_id = ${s.p(where.thread_id)} and checkpoint_ns = ${s.p(where.checkpoint_ns)} and channel = ${s.p(channel)} and type = ${s.p(type)} order by checkpoint_id desc limit 1) as base, ` +
    `(select max(seq) from agent_checkpoint_messages where thread_id = ${s.p(where.thread_id)} and checkpoint_ns = ${s.p(where.checkpoint_ns)}) as last_seq`;
  const result = await db.executeQuery<{ base: Uint8Array | null; last_seq: number | string | null }>(
    s.compile(text),
  );
  return result.rows[0] ?? { base: null, last_seq: null };
}
