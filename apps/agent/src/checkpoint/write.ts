import type { RunnableConfig } from '@langchain/core/runnables';
import {
  type ChannelVersions,
  type Checkpoint,
  type CheckpointMetadata,
  type PendingWrite,
  type SerializerProtocol,
  WRITES_IDX_MAP,
} from '@langchain/langgraph-checkpoint';
import type { Dialect } from '@mcp-langgraph/db';
import type { Kysely } from 'kysely';
import {
  encodeMessageList,
  encodeReference,
  isMessageList,
  MESSAGE_LOG_TYPE,
  type SerializedMessage,
  serializeMessages,
} from './message-log.js';
import { CHUNK, chunks } from './read.js';
import type { CheckpointDatabase } from './schema.js';
import {
  type CheckpointRowValues,
  insertWrites,
  type LogRow,
  type ValueRow,
  type WriteRow,
  writeCheckpoint,
} from './statements.js';

type Db = Kysely<CheckpointDatabase>;

/** Drivers want a Buffer; the serializer hands out plain Uint8Arrays. */
export const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * What the run was started with (`config.metadata`: run_id and whatever else the engine passes),
 * overlaid with LangGraph's own metadata, as the reference server records it. LangGraph's
 * integration marker and the thread id are left out: the row has the thread, and a copied thread
 * must not name its original.
 */
export function checkpointMetadata(config: RunnableConfig, metadata: CheckpointMetadata): CheckpointMetadata {
  const fromRun = Object.fromEntries(
    Object.entries(config.metadata ?? {}).filter(([k]) => k !== 'thread_id' && !k.startsWith('ls_')),
  );
  return { ...fromRun, ...metadata } as CheckpointMetadata;
}

type Prepared =
  | { channel: string; version: string; kind: 'value'; type: string; blob: Uint8Array | null }
  | { channel: string; version: string; kind: 'messages'; messages: SerializedMessage[] };

/** Serialises the changed channels before any database work, so a transaction never waits on it. */
async function prepareValues(
  serde: SerializerProtocol,
  values: Record<string, unknown>,
  versions: ChannelVersions,
): Promise<Prepared[]> {
  return Promise.all(
    Object.entries(versions).map(async ([channel, v]): Promise<Prepared> => {
      const version = String(v);
      if (!(channel in values)) return { channel, version, kind: 'value', type: 'empty', blob: null };
      const value = values[channel];
      if (isMessageList(value))
        return { channel, version, kind: 'messages', messages: await serializeMessages(serde, value) };
      const [type, blob] = await serde.dumpsTyped(value);
      return { channel, version, kind: 'value', type, blob };
    }),
  );
}

/** Writers racing for one thread's log each lose at most once per other writer. */
const MAX_ATTEMPTS = 10;

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown };
  return e?.code === '23505' || (typeof e?.code === 'string' && e.code.startsWith('SQLITE_CONSTRAINT'));
}

interface Plan {
  messages: LogRow[];
  values: ValueRow[];
}

/** The value rows of the changed channels, with the log rows their message lists add. */
async function planValues(
  db: Db,
  dialect: Dialect,
  where: { thread_id: string; checkpoint_ns: string },
  checkpointId: string,
  prepared: readonly Prepared[],
): Promise<Plan> {
  const plan: Plan = { messages: [], values: [] };
  for (const p of prepared) {
    const row = { ...where, channel: p.channel, version: p.version, checkpoint_id: checkpointId };
    if (p.kind === 'value') {
      plan.values.push({ ...row, type: p.type, blob: p.blob && asBuffer(p.blob) });
      continue;
    }
    // A second message list in the same checkpoint logs after the rows the first one adds.
    const planned = plan.messages.at(-1);
    const firstFree = planned ? planned.seq + 1 : 0;
    const { ref, rows } = await encodeMessageList(db, dialect, where, p.channel, p.messages, firstFree);
    plan.messages.push(...rows.map((r) => ({ ...r, blob: asBuffer(r.blob) })));
    plan.values.push({ ...row, type: MESSAGE_LOG_TYPE, blob: asBuffer(encodeReference(ref)) });
  }
  return plan;
}

/**
 * Writes the checkpoint row, the values of the channels whose version changed (each version once)
 * and, for message lists, the messages the thread's log does not have yet, in one transaction.
 * Two writers appending to one thread's log at once collide on a log position; the loser retries
 * with the log as it now is.
 */
export async function putCheckpoint(
  db: Db,
  serde: SerializerProtocol,
  config: RunnableConfig,
  checkpoint: Checkpoint,
  metadata: CheckpointMetadata,
  newVersions: ChannelVersions,
  dialect: Dialect,
): Promise<RunnableConfig> {
  if (config.configurable === undefined) throw new Error('Missing "configurable" field in "config" param');
  const { thread_id, checkpoint_ns = '', checkpoint_id: parent } = config.configurable;
  if (typeof thread_id !== 'string' || thread_id === '')
    throw new Error('Missing "thread_id" field in "config.configurable" param');
  const where = { thread_id, checkpoint_ns: String(checkpoint_ns) };
  const { channel_values, ...stored } = checkpoint;
  const merged = checkpointMetadata(config, metadata);
  const [metadataType, metadataBytes] = await serde.dumpsTyped(merged);
  const prepared = await prepareValues(serde, channel_values ?? {}, newVersions);
  const runId = (merged as { run_id?: unknown }).run_id;

  const row: CheckpointRowValues = {
    ...where,
    checkpoint_id: checkpoint.id,
    parent_checkpoint_id: typeof parent === 'string' && parent !== '' ? parent : null,
    checkpoint: JSON.stringify(stored),
    metadata_type: metadataType,
    metadata: asBuffer(metadataBytes),
    run_id: typeof runId === 'string' ? runId : null,
  };
  const write = async (q: Db) => {
    const plan = await planValues(q, dialect, where, checkpoint.id, prepared);
    await writeCheckpoint(q, dialect, plan.messages, plan.values, row, CHUNK);
  };
  // At most CHUNK rows per table fit one statement: then writeCheckpoint needs no transaction.
  const logged = prepared.reduce((n, p) => n + (p.kind === 'messages' ? p.messages.length : 0), 0);
  const oneStatement = dialect === 'postgres' && logged <= CHUNK && prepared.length <= CHUNK;
  for (let attempt = 1; ; attempt++) {
    try {
      // PostgreSQL reads first, then writes in one statement (one commit per step); otherwise one transaction.
      if (oneStatement) await write(db);
      else await db.transaction().execute(write);
      break;
    } catch (err) {
      if (attempt >= MAX_ATTEMPTS || !isUniqueViolation(err)) throw err;
    }
  }
  return { configurable: { ...where, checkpoint_id: checkpoint.id } };
}

/**
 * Stores a task's writes against a checkpoint. Writes to the special channels (errors,
 * interrupts, resumes) replace an earlier write at the same index; ordinary writes are kept as
 * first written, so a retried task cannot change what the next step reads.
 */
export async function putTaskWrites(
  db: Db,
  serde: SerializerProtocol,
  config: RunnableConfig,
  writes: PendingWrite[],
  taskId: string,
  taskPath: string,
  dialect: Dialect,
): Promise<void> {
  const { thread_id, checkpoint_ns = '', checkpoint_id } = config.configurable ?? {};
  if (typeof thread_id !== 'string' || thread_id === '')
    throw new Error('Missing "thread_id" field in "config.configurable" param');
  if (typeof checkpoint_id !== 'string' || checkpoint_id === '')
    throw new Error('Missing "checkpoint_id" field in "config.configurable" param');
  if (writes.length === 0) return;
  const rows: WriteRow[] = await Promise.all(
    writes.map(async ([channel, value], idx) => {
      const [type, blob] = await serde.dumpsTyped(value);
      return {
        thread_id,
        checkpoint_ns: String(checkpoint_ns),
        checkpoint_id,
        task_id: taskId,
        idx: WRITES_IDX_MAP[channel] ?? idx,
        channel,
        type,
        blob: asBuffer(blob),
        task_path: taskPath,
      };
    }),
  );
  const replace = writes.every(([channel]) => channel in WRITES_IDX_MAP);
  if (rows.length <= CHUNK) await insertWrites(db, dialect, rows, replace);
  else
    await db.transaction().execute(async (trx) => {
      for (const chunk of chunks(rows)) await insertWrites(trx, dialect, chunk, replace);
    });
}
