/**
 * Checkpoint storage and overhead, through the real agent graph with the offline model.
 *
 * Growth: a 200-turn conversation, pruned after every turn as the run engine does, on SQLite and
 * on PostgreSQL; bytes on disk (SQLite file + WAL after a checkpoint, PostgreSQL
 * `pg_total_relation_size` of the tables) at turns 1, 50, 100 and 200, and bytes per turn between
 * those points (constant when growth is linear). Target: at most 10 MB at turn 200.
 *
 * Overhead: each round runs the same turn as plain function calls (model, tools, model) and then
 * through the graph, once without a checkpointer and once with each, in turn, so machine load
 * hits all alike; reported per graph step (the extra time over the plain calls divided by the
 * steps) and as the ratio of medians. Measured on fresh threads and on copies of the 200-turn
 * one. Target: at most 1 ms p95 per step with PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BaseMessage, HumanMessage } from '@langchain/core/messages';
import {
  type Backend,
  benchGraph,
  percentile,
  plainSteps,
  postgresBackend,
  prompt,
  sqliteBackend,
  textBytes,
} from './bench-support.js';

const TURNS = 200;
const MARKS = [1, 50, 100, 200];
const WARM_UP = 5;

const out = (line: string) => process.stdout.write(`${line}\n`);
const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
const ms = (n: number) => `${n.toFixed(2)} ms`;

/** One turn through the graph; the number of graph steps it took. */
async function turn(
  graph: ReturnType<typeof benchGraph>,
  threadId: string,
  input: BaseMessage[],
  runId?: string,
): Promise<number> {
  let steps = 0;
  const stream = await graph.stream(
    { messages: input },
    {
      configurable: { thread_id: threadId },
      ...(runId ? { metadata: { run_id: runId } } : {}),
      streamMode: 'updates',
    },
  );
  for await (const _ of stream) steps++;
  return steps;
}

async function growth(backend: Backend): Promise<void> {
  const graph = benchGraph(backend.checkpointer.saver);
  const sizes: Array<[number, number]> = [];
  for (let i = 1; i <= TURNS; i++) {
    await turn(graph, 'growth', [new HumanMessage(prompt(i - 1))], `run-${i}`);
    await backend.checkpointer.prune('growth');
    if (MARKS.includes(i)) sizes.push([i, await backend.bytes()]);
  }
  const state = await graph.getState({ configurable: { thread_id: 'growth' } });
  const messages = (state.values as { messages: BaseMessage[] }).messages;
  out(`${backend.name}: ${messages.length} messages, ${(textBytes(messages) / 1000).toFixed(1)} KB of text`);
  sizes.forEach(([at, bytes], i) => {
    const prev = sizes[i - 1];
    const perTurn = prev
      ? ` (${Math.round((bytes - prev[1]) / (at - prev[0]))} B/turn since turn ${prev[0]})`
      : '';
    out(`  turn ${String(at).padStart(3)}: ${mb(bytes)}${perTurn}`);
  });
  const at = new Map(sizes);
  const late = (at.get(200)! - at.get(100)!) / 100;
  const early = (at.get(100)! - at.get(50)!) / 50;
  out(
    `  bytes per turn, turns 100-200 / turns 50-100: ${(late / early).toFixed(2)} (1 = linear; quadratic doubles it)`,
  );
  out(`  turn 200 / 10 MB target: ${(at.get(200)! / 10e6).toFixed(3)}`);
}

interface Subject {
  name: string;
  backend: Backend | undefined;
  graph: ReturnType<typeof benchGraph>;
  extra: number[];
  graphMs: number[];
}

/**
 * `rounds` rounds of: the plain calls, then the graph with every subject in turn. `thread(r)`
 * prepares the thread a subject's turn runs on (fresh, or a copy of the long one) and returns its
 * id; without a checkpointer the graph gets the history as input instead.
 */
async function overhead(
  subjects: Subject[],
  rounds: number,
  history: BaseMessage[],
  thread: (s: Subject, r: number) => Promise<string>,
): Promise<void> {
  const plain = plainSteps();
  const plainMs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const text = prompt(4 * r);
    let t = performance.now();
    await plain(history, text);
    const p = performance.now() - t;
    if (r >= WARM_UP) plainMs.push(p);
    for (const s of subjects) {
      const id = await thread(s, r);
      const input = s.backend ? [new HumanMessage(text)] : [...history, new HumanMessage(text)];
      t = performance.now();
      const steps = await turn(s.graph, id, input);
      const g = performance.now() - t;
      await s.backend?.checkpointer.saver.deleteThread(id);
      if (r < WARM_UP) continue;
      s.graphMs.push(g);
      s.extra.push((g - p) / steps);
    }
  }
  const plainP50 = percentile(plainMs, 0.5);
  const noneExtra = percentile(subjects.find((s) => !s.backend)?.extra ?? [], 0.5);
  for (const s of subjects) {
    const extra = percentile(s.extra, 0.5);
    const own = s.backend ? `, checkpointer's share p50 ${ms(extra - noneExtra)}` : '';
    out(
      `  ${s.name.padEnd(22)} turn p50 ${ms(percentile(s.graphMs, 0.5))} (plain ${ms(plainP50)}, ratio ${(percentile(s.graphMs, 0.5) / plainP50).toFixed(1)}), extra per step p50 ${ms(extra)} p95 ${ms(percentile(s.extra, 0.95))}${own}`,
    );
  }
  for (const s of subjects) {
    s.extra.length = 0;
    s.graphMs.length = 0;
  }
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'checkpoint-bench-'));
  const backends: Backend[] = [sqliteBackend(join(dir, 'checkpoints.db'))];
  const pg = await postgresBackend();
  if (pg) backends.push(pg);
  else out('PostgreSQL is not reachable: its figures are missing');
  try {
    out('## storage growth: 200 turns, pruned after each');
    for (const backend of backends) await growth(backend);

    const subjects: Subject[] = [undefined, ...backends].map((backend) => ({
      name: backend ? `graph + ${backend.name}` : 'graph, no checkpointer',
      backend,
      graph: benchGraph(backend?.checkpointer.saver),
      extra: [],
      graphMs: [],
    }));
    out('## per-step overhead against plain function calls, fresh thread per turn');
    await overhead(subjects, 60, [], async (s, r) => `fresh-${s.name}-${r}`);

    const long = await subjects[1]!.graph.getState({ configurable: { thread_id: 'growth' } });
    const history = (long.values as { messages: BaseMessage[] }).messages;
    out(`## per-step overhead on copies of the 200-turn thread (${history.length} messages)`);
    await overhead(subjects, 25, history, async (s, r) => {
      const id = `long-${r}`;
      await s.backend?.checkpointer.copyThread('growth', id);
      return id;
    });
  } finally {
    for (const backend of backends) await backend.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
