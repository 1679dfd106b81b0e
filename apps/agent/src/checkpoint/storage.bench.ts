/**
 * Checkpoint storage and overhead, through the real agent graph with the offline model.
 *
 * Growth: a 200-turn conversation, pruned after every turn as the run engine does, on SQLite and
 * on PostgreSQL; bytes on disk (SQLite file + WAL after a checkpoint, PostgreSQL
 * `pg_total_relation_size` of the tables) at turns 1, 50, 100 and 200, and bytes per turn between
 * those points (constant when growth is linear). Target: at most 10 MB at turn 200.
 *
 * Overhead: the same turns as plain function calls (model, tools, model) against the graph with
 * each checkpointer, in alternating order, on a fresh thread and on the 200-turn one; reported as
 * the ratio of medians and the p95 of the extra time per graph step. Target: at most 1 ms p95
 * per step with PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BaseMessage } from '@langchain/core/messages';
import { HumanMessage } from '@langchain/core/messages';
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
const MARKS = new Set([1, 50, 100, 200]);
const OVERHEAD_ROUNDS = 60;

const out = (line: string) => process.stdout.write(`${line}\n`);
const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;

async function turn(graph: ReturnType<typeof benchGraph>, threadId: string, i: number): Promise<number> {
  let steps = 0;
  const stream = await graph.stream(
    { messages: [new HumanMessage(prompt(i))] },
    {
      configurable: { thread_id: threadId },
      metadata: { run_id: `run-${threadId}-${i}` },
      streamMode: 'updates',
    },
  );
  for await (const _ of stream) steps++;
  return steps;
}

async function growth(backend: Backend): Promise<void> {
  const graph = benchGraph(backend.checkpointer.saver);
  const thread = 'growth';
  const sizes = new Map<number, number>();
  for (let i = 1; i <= TURNS; i++) {
    await turn(graph, thread, i - 1);
    await backend.checkpointer.prune(thread);
    if (MARKS.has(i)) sizes.set(i, await backend.bytes());
  }
  const state = await graph.getState({ configurable: { thread_id: thread } });
  const messages = (state.values as { messages: BaseMessage[] }).messages;
  out(`${backend.name}: ${messages.length} messages, ${(textBytes(messages) / 1000).toFixed(1)} KB of text`);
  let previous: [number, number] | undefined;
  for (const [at, bytes] of sizes) {
    const perTurn = previous
      ? ` (${Math.round((bytes - previous[1]) / (at - previous[0]))} B/turn since turn ${previous[0]})`
      : '';
    out(`  turn ${String(at).padStart(3)}: ${mb(bytes)}${perTurn}`);
    previous = [at, bytes];
  }
  const b50 = sizes.get(50)!;
  const b100 = sizes.get(100)!;
  const b200 = sizes.get(200)!;
  const late = (b200 - b100) / 100;
  const early = (b100 - b50) / 50;
  out(
    `  bytes per turn, turns 100-200 / turns 50-100: ${(late / early).toFixed(2)} (1.00 = linear, 2 = quadratic)`,
  );
  out(`  turn 200 against the 10 MB target: ${(b200 / 10e6).toFixed(3)}`);
}

/** Plain calls and graph turns in alternating order; the extra time per step, p95, and the ratio of medians. */
async function overhead(backend: Backend | undefined, label: string, thread: string, history: BaseMessage[]) {
  const plain = plainSteps();
  const graph = benchGraph(backend?.checkpointer.saver);
  const plainMs: number[] = [];
  const graphMs: number[] = [];
  const extraPerStep: number[] = [];
  for (let r = 0; r < OVERHEAD_ROUNDS; r++) {
    // Same prompt on both sides, so the model and the tools do the same work.
    const i = 4 * r;
    let t = performance.now();
    await plain(history, prompt(i));
    const p = performance.now() - t;
    t = performance.now();
    const input = backend
      ? { messages: [new HumanMessage(prompt(i))] }
      : { messages: [...history, new HumanMessage(prompt(i))] };
    let steps = 0;
    const stream = await graph.stream(input, {
      configurable: { thread_id: backend ? `${thread}-${r}` : thread },
      streamMode: 'updates',
    });
    for await (const _ of stream) steps++;
    const g = performance.now() - t;
    if (backend) await backend.checkpointer.prune(`${thread}-${r}`);
    if (r < 5) continue; // warm-up
    plainMs.push(p);
    graphMs.push(g);
    extraPerStep.push((g - p) / steps);
  }
  const ratio = percentile(graphMs, 0.5) / percentile(plainMs, 0.5);
  out(
    `  ${label.padEnd(36)} plain p50 ${percentile(plainMs, 0.5).toFixed(2)} ms, graph p50 ${percentile(graphMs, 0.5).toFixed(2)} ms, ratio ${ratio.toFixed(2)}, extra per step p50 ${percentile(extraPerStep, 0.5).toFixed(3)} ms p95 ${percentile(extraPerStep, 0.95).toFixed(3)} ms`,
  );
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'checkpoint-bench-'));
  const backends: Backend[] = [sqliteBackend(join(dir, 'checkpoints.db'))];
  const pg = await postgresBackend();
  if (pg) backends.push(pg);
  else out('PostgreSQL is not reachable: its figures are missing');
  try {
    out('## storage growth (200 turns, pruned after each)');
    for (const backend of backends) await growth(backend);
    out('## per-step overhead against plain function calls (one fresh thread per turn)');
    await overhead(undefined, 'graph, no checkpointer', 'none', []);
    for (const backend of backends) await overhead(backend, `graph + ${backend.name}`, 'fresh', []);
    out('## per-step overhead on the 200-turn thread');
    for (const backend of backends) {
      const graph = benchGraph(backend.checkpointer.saver);
      const state = await graph.getState({ configurable: { thread_id: 'growth' } });
      const history = (state.values as { messages: BaseMessage[] }).messages;
      await backend.checkpointer.copyThread('growth', 'long');
      await overheadOnThread(backend, history);
    }
  } finally {
    for (const backend of backends) await backend.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Turns 201.. on copies of the long thread against plain calls over the same history. */
async function overheadOnThread(backend: Backend, history: BaseMessage[]) {
  const plain = plainSteps();
  const graph = benchGraph(backend.checkpointer.saver);
  const plainMs: number[] = [];
  const graphMs: number[] = [];
  const extra: number[] = [];
  for (let r = 0; r < 25; r++) {
    const thread = `long-${r}`;
    await backend.checkpointer.copyThread('growth', thread);
    let t = performance.now();
    await plain(history, prompt(0));
    const p = performance.now() - t;
    t = performance.now();
    const steps = await turn(graph, thread, 0);
    const g = performance.now() - t;
    await backend.checkpointer.saver.deleteThread(thread);
    if (r < 3) continue;
    plainMs.push(p);
    graphMs.push(g);
    extra.push((g - p) / steps);
  }
  out(
    `  ${`graph + ${backend.name}, ${history.length} messages`.padEnd(36)} plain p50 ${percentile(plainMs, 0.5).toFixed(2)} ms, graph p50 ${percentile(graphMs, 0.5).toFixed(2)} ms, ratio ${(percentile(graphMs, 0.5) / percentile(plainMs, 0.5)).toFixed(2)}, extra per step p50 ${percentile(extra, 0.5).toFixed(3)} ms p95 ${percentile(extra, 0.95).toFixed(3)} ms`,
  );
}
