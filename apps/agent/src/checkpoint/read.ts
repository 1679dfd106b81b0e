import type { RunnableConfig } from '@langchain/core/runnables';
import {
  type Checkpoint,
  type CheckpointPendingWrite,
  type CheckpointTuple,
  compareWritesSortKeys,
  maxChannelVersion,
  type SerializerProtocol,
  TASKS,
  writesSortKey,
} from '@langchain/langgraph-checkpoint';
import type { Kysely, Selectable } from 'kysely';
import {
  decodeMessageList,
  decodeReference,
  type LogRanges,
  type LogReference,
  loadLogRows,
  MESSAGE_LOG_TYPE,
} from './message-log.js';
import type { CheckpointDatabase, CheckpointsTable, ValuesTable, WritesTable } from './schema.js';

export type CheckpointRow = Selectable<CheckpointsTable>;
type StoredCheckpoint = Omit<Checkpoint, 'channel_values'>;

/** Statements bind at most a few hundred parameters, well under SQLite's limit. */
export const CHUNK = 200;

export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export const valueKey = (channel: string, version: string | number) => `${channel}\u0000${String(version)}`;

function configOf(thread_id: string, checkpoint_ns: string, checkpoint_id: string): RunnableConfig {
  return { configurable: { thread_id, checkpoint_ns, checkpoint_id } };
}

type Db = Kysely<CheckpointDatabase>;

/** Values of one thread and namespace for the given `(channel, version)` pairs. */
async function loadValues(db: Db, thread_id: string, checkpoint_ns: string, keys: Set<string>) {
  const pairs = [...keys].map((k) => k.split('\u0000') as [string, string]);
  const found = new Map<string, Selectable<ValuesTable>>();
  for (const chunk of chunks(pairs)) {
    const rows = await db
      .selectFrom('agent_checkpoint_values')
      .selectAll()
      .where('thread_id', '=', thread_id)
      .where('checkpoint_ns', '=', checkpoint_ns)
      .where((eb) => eb.or(chunk.map(([c, v]) => eb.and([eb('channel', '=', c), eb('version', '=', v)]))))
      .execute();
    for (const row of rows) found.set(valueKey(row.channel, row.version), row);
  }
  return found;
}

async function loadWrites(db: Db, thread_id: string, checkpoint_ns: string, ids: string[], channel?: string) {
  const byCheckpoint = new Map<string, Array<Selectable<WritesTable>>>();
  for (const chunk of chunks(ids)) {
    let query = db
      .selectFrom('agent_checkpoint_writes')
      .selectAll()
      .where('thread_id', '=', thread_id)
      .where('checkpoint_ns', '=', checkpoint_ns)
      .where('checkpoint_id', 'in', chunk);
    if (channel !== undefined) query = query.where('channel', '=', channel);
    for (const row of await query.execute())
      byCheckpoint.set(row.checkpoint_id, [...(byCheckpoint.get(row.checkpoint_id) ?? []), row]);
  }
  // The order live execution applies a superstep's writes in (task path, task id, index), by code point.
  for (const rows of byCheckpoint.values())
    rows.sort((a, b) =>
      compareWritesSortKeys(
        writesSortKey(a.task_path, a.task_id, Number(a.idx)),
        writesSortKey(b.task_path, b.task_id, Number(b.idx)),
      ),
    );
  return byCheckpoint;
}

/**
 * Turns checkpoint rows into tuples with a handful of queries per thread and namespace, however
 * many rows: the values their channel versions name, their pending writes and the message-log
 * rows their message lists cover.
 */
export async function loadTuples(
  db: Db,
  serde: SerializerProtocol,
  rows: readonly CheckpointRow[],
): Promise<CheckpointTuple[]> {
  const parsed = rows.map((row) => ({ row, stored: JSON.parse(row.checkpoint) as StoredCheckpoint }));
  const groups = new Map<string, typeof parsed>();
  for (const p of parsed) {
    const key = `${p.row.thread_id}\u0000${p.row.checkpoint_ns}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const tuples = new Map<CheckpointRow, CheckpointTuple>();
  for (const group of groups.values()) {
    const { thread_id, checkpoint_ns } = group[0]!.row;
    const keys = new Set<string>();
    for (const { stored } of group)
      for (const [channel, version] of Object.entries(stored.channel_versions ?? {}))
        keys.add(valueKey(channel, version));
    const [values, writes] = await Promise.all([
      loadValues(db, thread_id, checkpoint_ns, keys),
      loadWrites(
        db,
        thread_id,
        checkpoint_ns,
        group.map((g) => g.row.checkpoint_id),
      ),
    ]);
    const refs = new Map<string, LogReference>();
    const ranges: LogRanges = [];
    for (const [key, value] of values)
      if (value.type === MESSAGE_LOG_TYPE && value.blob) {
        const ref = decodeReference(value.blob);
        refs.set(key, ref);
        ranges.push(...ref.r);
      }
    const logRows =
      ranges.length > 0 ? await loadLogRows(db, { thread_id, checkpoint_ns }, ranges) : new Map();

    for (const { row, stored } of group) {
      const channel_values: Record<string, unknown> = {};
      for (const [channel, version] of Object.entries(stored.channel_versions ?? {})) {
        const key = valueKey(channel, version);
        const value = values.get(key);
        if (!value || value.type === 'empty' || value.blob === null) continue;
        const ref = refs.get(key);
        channel_values[channel] = ref
          ? await decodeMessageList(serde, ref, logRows)
          : await serde.loadsTyped(value.type, value.blob);
      }
      const checkpoint: Checkpoint = {
        ...stored,
        channel_versions: stored.channel_versions ?? {},
        versions_seen: stored.versions_seen ?? {},
        channel_values,
      };
      const pendingWrites: CheckpointPendingWrite[] = await Promise.all(
        (writes.get(row.checkpoint_id) ?? []).map(
          async (w): Promise<CheckpointPendingWrite> => [
            w.task_id,
            w.channel,
            await serde.loadsTyped(w.type, w.blob),
          ],
        ),
      );
      if (checkpoint.v < 4 && row.parent_checkpoint_id) await migratePendingSends(db, serde, row, checkpoint);
      tuples.set(row, {
        config: configOf(thread_id, checkpoint_ns, row.checkpoint_id),
        checkpoint,
        metadata: await serde.loadsTyped(row.metadata_type, row.metadata),
        parentConfig: row.parent_checkpoint_id
          ? configOf(thread_id, checkpoint_ns, row.parent_checkpoint_id)
          : undefined,
        pendingWrites,
      });
    }
  }
  return rows.map((row) => tuples.get(row)!);
}

/**
 * Checkpoints before format 4 kept the sends of a step as writes to `__pregel_tasks` of their
 * parent; the current format expects them as that channel's value, so they are moved on read.
 */
async function migratePendingSends(
  db: Db,
  serde: SerializerProtocol,
  row: CheckpointRow,
  checkpoint: Checkpoint,
): Promise<void> {
  const parent = row.parent_checkpoint_id!;
  const sends = (await loadWrites(db, row.thread_id, row.checkpoint_ns, [parent], TASKS)).get(parent) ?? [];
  if (sends.length === 0) return;
  checkpoint.channel_values[TASKS] = await Promise.all(sends.map((w) => serde.loadsTyped(w.type, w.blob)));
  const versions = Object.values(checkpoint.channel_versions);
  checkpoint.channel_versions[TASKS] = versions.length > 0 ? maxChannelVersion(...versions) : 1;
}
