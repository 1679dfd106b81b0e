import type { Kysely } from 'kysely';
import { decodeReference, type LogRanges, MESSAGE_LOG_TYPE, mergeRanges } from './message-log.js';
import { chunks, valueKey } from './read.js';
import type { CheckpointDatabase } from './schema.js';

type Db = Kysely<CheckpointDatabase>;

/** How many of a thread's most recent checkpoints `prune` keeps besides the runs' last ones. */
export const DEFAULT_CHECKPOINTS_RETAINED = 10;

export interface PruneOptions {
  /** Most recent checkpoints kept per namespace (at least 1: the latest, which a pending run resumes from). */
  retained?: number;
}

export interface PruneResult {
  checkpoints: number;
  values: number;
  writes: number;
  messages: number;
}

interface Row {
  checkpoint_ns: string;
  checkpoint_id: string;
  run_id: string | null;
  checkpoint: string;
}

/** Per namespace, newest first: the `retained` most recent checkpoints and the newest of each run. */
export function checkpointsToKeep(rows: readonly Row[], retained: number): Set<Row> {
  const keep = new Set<Row>();
  const byNs = new Map<string, Row[]>();
  for (const row of rows) byNs.set(row.checkpoint_ns, [...(byNs.get(row.checkpoint_ns) ?? []), row]);
  for (const list of byNs.values()) {
    list.sort((a, b) => (a.checkpoint_id < b.checkpoint_id ? 1 : a.checkpoint_id > b.checkpoint_id ? -1 : 0));
    const runs = new Set<string>();
    list.forEach((row, i) => {
      if (i < retained) keep.add(row);
      if (row.run_id !== null && !runs.has(row.run_id)) {
        runs.add(row.run_id);
        keep.add(row);
      }
    });
  }
  return keep;
}

/** Half-open gaps of `[0, end)` that `kept` (sorted, disjoint) does not cover. */
function gaps(kept: LogRanges, end: number): LogRanges {
  const out: LogRanges = [];
  let at = 0;
  for (const [s, e] of kept) {
    if (s > at) out.push([at, Math.min(s, end)]);
    at = Math.max(at, e);
  }
  if (at < end) out.push([at, end]);
  return out.filter(([s, e]) => s < e);
}

/**
 * Deletes what the history API and pending runs do not need: checkpoints other than the kept
 * ones, their writes, values no kept checkpoint names, and log messages no kept message list
 * covers. The log and the values are read before the checkpoints, so anything a concurrent `put`
 * adds meanwhile is either newer than what is deleted or referenced by a checkpoint seen here.
 */
export async function pruneThread(
  db: Db,
  threadId: string,
  options: PruneOptions = {},
): Promise<PruneResult> {
  const retained = Math.max(1, Math.floor(options.retained ?? DEFAULT_CHECKPOINTS_RETAINED));
  return db.transaction().execute(async (trx) => {
    const logEnds = await trx
      .selectFrom('agent_checkpoint_messages')
      .select(['checkpoint_ns', (eb) => eb.fn.max('seq').as('last')])
      .where('thread_id', '=', threadId)
      .groupBy('checkpoint_ns')
      .execute();
    const values = await trx
      .selectFrom('agent_checkpoint_values')
      .select(['checkpoint_ns', 'channel', 'version'])
      .where('thread_id', '=', threadId)
      .execute();
    const rows = await trx
      .selectFrom('agent_checkpoints')
      .select(['checkpoint_ns', 'checkpoint_id', 'run_id', 'checkpoint'])
      .where('thread_id', '=', threadId)
      .execute();
    const keep = checkpointsToKeep(rows, retained);
    const result: PruneResult = { checkpoints: 0, values: 0, writes: 0, messages: 0 };
    const count = (r: Array<{ numDeletedRows: bigint }>) =>
      r.reduce((n, x) => n + Number(x.numDeletedRows), 0);

    const dropped = rows.filter((r) => !keep.has(r));
    const byNs = new Map<string, string[]>();
    for (const r of dropped)
      byNs.set(r.checkpoint_ns, [...(byNs.get(r.checkpoint_ns) ?? []), r.checkpoint_id]);
    for (const [ns, ids] of byNs)
      for (const chunk of chunks(ids))
        for (const [table, key] of [
          ['agent_checkpoint_writes', 'writes'],
          ['agent_checkpoints', 'checkpoints'],
        ] as const)
          result[key] += count(
            await trx
              .deleteFrom(table)
              .where('thread_id', '=', threadId)
              .where('checkpoint_ns', '=', ns)
              .where('checkpoint_id', 'in', chunk)
              .execute(),
          );

    const referenced = new Set<string>();
    for (const r of keep) {
      const versions = (JSON.parse(r.checkpoint) as { channel_versions?: Record<string, string | number> })
        .channel_versions;
      for (const [channel, version] of Object.entries(versions ?? {}))
        referenced.add(`${r.checkpoint_ns}\u0000${valueKey(channel, version)}`);
    }
    const unreferenced = values.filter(
      (v) => !referenced.has(`${v.checkpoint_ns}\u0000${valueKey(v.channel, v.version)}`),
    );
    const valuesByNs = new Map<string, typeof unreferenced>();
    for (const v of unreferenced)
      valuesByNs.set(v.checkpoint_ns, [...(valuesByNs.get(v.checkpoint_ns) ?? []), v]);
    for (const [ns, list] of valuesByNs)
      for (const chunk of chunks(list))
        result.values += count(
          await trx
            .deleteFrom('agent_checkpoint_values')
            .where('thread_id', '=', threadId)
            .where('checkpoint_ns', '=', ns)
            .where((eb) =>
              eb.or(chunk.map((v) => eb.and([eb('channel', '=', v.channel), eb('version', '=', v.version)]))),
            )
            .execute(),
        );

    for (const { checkpoint_ns: ns, last } of logEnds) {
      const end = Number(last) + 1;
      const lists = await trx
        .selectFrom('agent_checkpoint_values')
        .select('blob')
        .where('thread_id', '=', threadId)
        .where('checkpoint_ns', '=', ns)
        .where('type', '=', MESSAGE_LOG_TYPE)
        .execute();
      const kept = mergeRanges(lists.flatMap((l) => (l.blob ? decodeReference(l.blob).r : [])));
      for (const chunk of chunks(gaps(kept, end)))
        result.messages += count(
          await trx
            .deleteFrom('agent_checkpoint_messages')
            .where('thread_id', '=', threadId)
            .where('checkpoint_ns', '=', ns)
            .where((eb) => eb.or(chunk.map(([s, e]) => eb.and([eb('seq', '>=', s), eb('seq', '<', e)]))))
            .execute(),
        );
    }
    return result;
  });
}
