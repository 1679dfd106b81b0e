/**
 * knowledge_search's index on 10,000 generated Markdown documents: the time to build it (first
 * sync) and to re-check an unchanged folder, and query latency, in SQLite FTS5 and PostgreSQL
 * full-text search, each against a plain in-memory substring scan of the same sections measured
 * in the same run (reading and splitting the files for the build, scanning every section for the
 * queries). PostgreSQL is left out, with a line saying so, when TEST_DATABASE_URL is unreachable.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, type Database } from '@mcp-langgraph/db';
import { createTestSchema, TEST_DATABASE_URL } from '@mcp-langgraph/db/testing';
import {
  type KnowledgeIndex,
  migrateKnowledgeIndex,
  openKnowledgeIndex,
} from '../apps/agent/src/knowledge/index.js';
import { splitDocument } from '../apps/agent/src/knowledge/sections.js';
import { measure, type Sample } from './stats.js';

const DOCUMENTS = 10_000;
const VOCABULARY = 6_000;
const QUERY_MS = 3_000;

/** mulberry32: the same corpus on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = random(42);
const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'pa', 'qui', 'dor', 'fen', 'gal'];
const words = Array.from({ length: VOCABULARY }, (_, i) => {
  let w = '';
  for (let n = i + 1; n > 0; n = Math.floor(n / syllables.length)) w += syllables[n % syllables.length];
  return `${w}${i % 7 === 0 ? 'ing' : ''}`;
});
/** Skewed towards the first words, as natural text is. */
const word = () => words[Math.floor(VOCABULARY * rand() ** 3)]!;
const sentence = (n: number) => Array.from({ length: n }, word).join(' ');

function writeCorpus(dir: string): void {
  for (let d = 0; d < DOCUMENTS; d++) {
    const folder = join(dir, `area-${d % 50}`);
    if (d < 50) mkdirSync(folder, { recursive: true });
    const text =
      `# ${sentence(3)}\n\n${sentence(60)}.\n\n## ${sentence(2)}\n\n${sentence(50)}.\n\n` +
      `${sentence(40)}.\n\n## ${sentence(2)}\n\n${sentence(50)}.\n`;
    writeFileSync(join(folder, `doc-${d}.md`), text);
  }
}

const queries = Array.from({ length: 50 }, (_, i) =>
  i % 5 === 0 ? words[VOCABULARY - 1 - i]! : `${words[200 + i * 7]} ${words[900 + i * 13]}`,
);

interface Scanned {
  source: string;
  title: string;
  text: string;
}

/** The baseline's build: every file read and split, the text lower-cased, in memory. */
function loadCorpus(dir: string): Scanned[] {
  const out: Scanned[] = [];
  for (let d = 0; d < DOCUMENTS; d++) {
    const source = `area-${d % 50}/doc-${d}.md`;
    for (const s of splitDocument(source, readFileSync(join(dir, source), 'utf8')))
      out.push({ source, title: s.title, text: `${s.title}\n${s.body}`.toLowerCase() });
  }
  return out;
}

/** The baseline's query: count each term's occurrences in every section, keep the best five. */
function scan(corpus: readonly Scanned[], query: string): Scanned[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  const scored: Array<{ s: Scanned; n: number }> = [];
  for (const s of corpus) {
    let n = 0;
    for (const t of terms) for (let i = s.text.indexOf(t); i >= 0; i = s.text.indexOf(t, i + t.length)) n++;
    if (n > 0) scored.push({ s, n });
  }
  return scored
    .sort((a, b) => b.n - a.n)
    .slice(0, 5)
    .map((x) => x.s);
}

const quiet = { info() {}, warn() {} };

interface EngineResult {
  name: string;
  buildMs: number;
  recheckMs: number;
  query: Sample;
  sections: number;
}

async function benchEngine(name: string, database: Database<unknown>, dir: string): Promise<EngineResult> {
  const index: KnowledgeIndex = openKnowledgeIndex(database, { logger: quiet });
  let t = performance.now();
  const first = await index.sync(dir);
  const buildMs = performance.now() - t;
  if (first.indexed.length !== DOCUMENTS) throw new Error(`${name}: indexed ${first.indexed.length}`);
  t = performance.now();
  await index.sync(dir);
  const recheckMs = performance.now() - t;
  let q = 0;
  const query = await measure(() => index.search(queries[q++ % queries.length]!, 5), QUERY_MS);
  const { sections } = await index.stats();
  await index.close();
  return { name, buildMs, recheckMs, query, sections };
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const us = (x: number) => `${x.toFixed(0)} us`;

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'knowledge-bench-'));
  const data = mkdtempSync(join(tmpdir(), 'knowledge-bench-db-'));
  try {
    writeCorpus(dir);
    const t = performance.now();
    const corpus = loadCorpus(dir);
    const loadMs = performance.now() - t;
    let q = 0;
    const baseline = await measure(() => scan(corpus, queries[q++ % queries.length]!), QUERY_MS);
    console.log(
      `corpus: ${DOCUMENTS.toLocaleString('en-US')} documents, ${corpus.length.toLocaleString('en-US')} sections`,
    );
    console.log(
      `baseline (in memory): load ${fmt(loadMs)}; substring scan p50 ${us(baseline.p50Us)} p99 ${us(baseline.p99Us)}`,
    );

    const results: EngineResult[] = [];
    const sqlite = createDatabase<unknown>({ sqlitePath: join(data, 'agent.db') });
    await migrateKnowledgeIndex(sqlite);
    results.push(await benchEngine('sqlite fts5', sqlite, dir));
    await sqlite.close();

    const schema = await createTestSchema().catch(() => undefined);
    if (schema) {
      const pg = createDatabase<unknown>({ url: TEST_DATABASE_URL, schema: schema.schema });
      try {
        // The history table lives in the test schema too (search_path names it).
        await migrateKnowledgeIndex(pg, schema.schema);
        results.push(await benchEngine('postgres fts', pg, dir));
      } finally {
        await pg.close();
        await schema.drop();
      }
    } else console.log('postgres: not reachable at TEST_DATABASE_URL, skipped');

    for (const r of results) {
      console.log(
        `${r.name.padEnd(14)} build ${fmt(r.buildMs)} (${(r.buildMs / loadMs).toFixed(1)}x the in-memory load), ` +
          `unchanged re-check ${fmt(r.recheckMs)}, ${r.sections.toLocaleString('en-US')} sections`,
      );
      console.log(
        `${''.padEnd(14)} query p50 ${us(r.query.p50Us)} p99 ${us(r.query.p99Us)}; against the scan: ` +
          `p50 ${(baseline.p50Us / r.query.p50Us).toFixed(1)}x faster, p99 ${(baseline.p99Us / r.query.p99Us).toFixed(1)}x, ` +
          `throughput ${(r.query.opsPerSec / baseline.opsPerSec).toFixed(1)}x`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  }
}
