import { createHash } from 'node:crypto';
import { isBaseMessage } from '@langchain/core/messages';
import type { SerializerProtocol } from '@langchain/langgraph-checkpoint';
import type { Dialect } from '@mcp-langgraph/db';
import type { Kysely } from 'kysely';
import type { CheckpointDatabase, MessagesTable } from './schema.js';
import { selectBase } from './statements.js';

/** The value type of a message list stored as ranges of the thread's message log. */
export const MESSAGE_LOG_TYPE = '@message-log';

/** Half-open ranges `[start, end)` of log positions, in list order. */
export type LogRanges = Array<[number, number]>;

/**
 * How a message list is stored: `r` the ranges, `n` the list's length, `h` a hash over the
 * digests of its messages in order. A later list whose first `n` messages hash to `h` is this
 * list plus what follows, so the common case (a step appended messages) needs no log read.
 */
export interface LogReference {
  r: LogRanges;
  n: number;
  h: string;
}

/** A message as the log stores it. */
export interface SerializedMessage {
  type: string;
  bytes: Uint8Array;
  digest: string;
}

interface Where {
  thread_id: string;
  checkpoint_ns: string;
}

/** Only lists of LangChain messages go to the log; anything else is stored whole. */
export function isMessageList(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.length > 0 && value.every((m) => isBaseMessage(m));
}

/**
 * Serialised messages by message object, per serializer. A graph step hands the saver the same
 * message objects as the step before plus the new ones (state messages are replaced, never
 * changed in place), so a long thread's messages are serialised and hashed once, not at every
 * step of every run.
 */
const serialized = new WeakMap<SerializerProtocol, WeakMap<object, SerializedMessage>>();

function serializedBy(serde: SerializerProtocol): WeakMap<object, SerializedMessage> {
  let known = serialized.get(serde);
  if (!known) {
    known = new WeakMap();
    serialized.set(serde, known);
  }
  return known;
}

export async function serializeMessages(
  serde: SerializerProtocol,
  messages: readonly unknown[],
): Promise<SerializedMessage[]> {
  const known = serializedBy(serde);
  return Promise.all(
    messages.map(async (m) => {
      const hit = typeof m === 'object' && m !== null ? known.get(m) : undefined;
      if (hit) return hit;
      const [type, bytes] = await serde.dumpsTyped(m);
      const digest = createHash('sha256').update(type).update('\0').update(bytes).digest('hex').slice(0, 32);
      const out = { type, bytes, digest };
      if (typeof m === 'object' && m !== null) known.set(m, out);
      return out;
    }),
  );
}

/** Adds `seq` to the ranges, extending the last one when it is the next position. */
function pushPosition(ranges: LogRanges, seq: number): void {
  const last = ranges.at(-1);
  if (last && last[1] === seq) last[1] = seq + 1;
  else ranges.push([seq, seq + 1]);
}

function appendRanges(ranges: LogRanges, more: LogRanges): LogRanges {
  const out: LogRanges = ranges.map(([s, e]) => [s, e]);
  for (const [s, e] of more) {
    const last = out.at(-1);
    if (last && last[1] === s) last[1] = e;
    else out.push([s, e]);
  }
  return out;
}

/** The newest message list stored for this channel and the next free log position, in one query. */
async function loadBase(db: Kysely<CheckpointDatabase>, dialect: Dialect, where: Where, channel: string) {
  const row = await selectBase(db, dialect, where, channel, MESSAGE_LOG_TYPE);
  const base = row.base ? decodeReference(row.base) : undefined;
  const lastSeq = row.last_seq === null || row.last_seq === undefined ? -1 : Number(row.last_seq);
  return { base, next: lastSeq + 1 };
}

/**
 * Stores a message list as ranges of the thread's log and returns the reference with the log rows
 * to insert. When the newest stored list of the channel is a prefix of this one (a step appended
 * messages), only the new messages are logged. Otherwise (messages removed, replaced or
 * reordered, a fork, or messages whose serialisation changed on the way through a checkpoint)
 * every message is looked up in the log by digest and only those it lacks are added.
 */
export async function encodeMessageList(
  db: Kysely<CheckpointDatabase>,
  dialect: Dialect,
  where: Where,
  channel: string,
  messages: readonly SerializedMessage[],
  /** The first position not taken by rows planned but not yet written. */
  firstFree = 0,
): Promise<{ ref: LogReference; rows: MessagesTable[] }> {
  const loaded = await loadBase(db, dialect, where, channel);
  const base = loaded.base;
  const next = Math.max(loaded.next, firstFree);
  const whole = createHash('sha256');
  let prefix: string | undefined;
  messages.forEach((m, i) => {
    if (base && i === base.n) prefix = whole.copy().digest('hex');
    whole.update(m.digest);
  });
  if (base && messages.length === base.n) prefix = whole.copy().digest('hex');
  const h = whole.digest('hex');
  const rows: MessagesTable[] = [];
  const add = (m: SerializedMessage) => {
    const seq = next + rows.length;
    rows.push({ ...where, seq, digest: m.digest, type: m.type, blob: m.bytes });
    return seq;
  };

  if (base && prefix === base.h) {
    const appended: LogRanges = [];
    for (const m of messages.slice(base.n)) pushPosition(appended, add(m));
    return { ref: { r: appendRanges(base.r, appended), n: messages.length, h }, rows };
  }

  // An empty log (a thread's first list) has nothing to look up.
  const log =
    loaded.next === 0
      ? []
      : await db
          .selectFrom('agent_checkpoint_messages')
          .select(['seq', 'digest'])
          .where('thread_id', '=', where.thread_id)
          .where('checkpoint_ns', '=', where.checkpoint_ns)
          .orderBy('seq')
          .execute();
  const bySeq = new Map<number, string>();
  const byDigest = new Map<string, number>();
  for (const { seq, digest } of log) {
    bySeq.set(Number(seq), digest);
    if (!byDigest.has(digest)) byDigest.set(digest, Number(seq));
  }
  // Where the list first differs from the newest stored one: a step that changed only its last
  // few messages (a tool result revived without its undefined artifact, a replaced answer) logs
  // that tail again in one piece, so the list stays two ranges instead of fragmenting further
  // with every turn.
  if (base) {
    const positions = base.r.flatMap(([s, e]) => Array.from({ length: e - s }, (_, i) => s + i));
    let same = 0;
    while (
      same < messages.length &&
      same < positions.length &&
      bySeq.get(positions[same]!) === messages[same]!.digest
    )
      same++;
    if (messages.length - same <= RELOG_TAIL) {
      const ranges: LogRanges = [];
      for (const seq of positions.slice(0, same)) pushPosition(ranges, seq);
      for (const m of messages.slice(same)) pushPosition(ranges, add(m));
      return { ref: { r: ranges, n: messages.length, h }, rows };
    }
  }
  const ranges: LogRanges = [];
  for (const m of messages) {
    const last = ranges.at(-1);
    // Prefer the position right after the previous message, so runs of the log stay one range.
    const following = last && bySeq.get(last[1]) === m.digest ? last[1] : undefined;
    const seq = following ?? byDigest.get(m.digest) ?? add(m);
    if (!byDigest.has(m.digest)) byDigest.set(m.digest, seq);
    pushPosition(ranges, seq);
  }
  return { ref: { r: ranges, n: messages.length, h }, rows };
}

/** The longest changed tail logged again whole rather than matched message by message. */
const RELOG_TAIL = 32;

export function encodeReference(ref: LogReference): Uint8Array {
  return Buffer.from(JSON.stringify(ref), 'utf8');
}

export function decodeReference(blob: Uint8Array): LogReference {
  return JSON.parse(Buffer.from(blob).toString('utf8')) as LogReference;
}

/** Merges ranges (any order, overlapping or not) into sorted, disjoint ones. */
export function mergeRanges(ranges: Iterable<[number, number]>): LogRanges {
  const sorted = [...ranges].map(([s, e]): [number, number] => [s, e]).sort((a, b) => a[0] - b[0]);
  const out: LogRanges = [];
  for (const [s, e] of sorted) {
    const last = out.at(-1);
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** Log rows covering `ranges` (merged), by position; ranges are few, so one query with a predicate each. */
/** A message of the log as read back. */
export interface LogRow {
  type: string;
  blob: Uint8Array;
  digest: string;
}

export async function loadLogRows(
  db: Kysely<CheckpointDatabase>,
  where: Where,
  ranges: LogRanges,
): Promise<Map<number, LogRow>> {
  const rows = new Map<number, LogRow>();
  const merged = mergeRanges(ranges);
  for (let i = 0; i < merged.length; i += RANGE_CHUNK) {
    const chunk = merged.slice(i, i + RANGE_CHUNK);
    const found = await db
      .selectFrom('agent_checkpoint_messages')
      .select(['seq', 'type', 'blob', 'digest'])
      .where('thread_id', '=', where.thread_id)
      .where('checkpoint_ns', '=', where.checkpoint_ns)
      .where((eb) => eb.or(chunk.map(([s, e]) => eb.and([eb('seq', '>=', s), eb('seq', '<', e)]))))
      .execute();
    for (const row of found)
      rows.set(Number(row.seq), { type: row.type, blob: row.blob, digest: row.digest });
  }
  return rows;
}

const RANGE_CHUNK = 200;

/**
 * Rebuilds the list a reference stands for, with fresh message objects. Each object is
 * remembered with the bytes it was revived from, so the next checkpoint of a run on this thread
 * finds its history already serialised (and in the log, by the same digest) instead of
 * serialising every earlier message again.
 */
export async function decodeMessageList(
  serde: SerializerProtocol,
  ref: LogReference,
  rows: Map<number, LogRow>,
): Promise<unknown[]> {
  const known = serializedBy(serde);
  // One at a time: thousands of concurrent revivals are slower than the same work in sequence.
  const out: unknown[] = [];
  for (const [s, e] of ref.r)
    for (let seq = s; seq < e; seq++) {
      const row = rows.get(seq);
      if (!row) throw new Error(`checkpoint message log is missing position ${seq}`);
      const message = (await serde.loadsTyped(row.type, row.blob)) as unknown;
      if (typeof message === 'object' && message !== null)
        known.set(message, { type: row.type, bytes: row.blob, digest: row.digest });
      out.push(message);
    }
  return out;
}
