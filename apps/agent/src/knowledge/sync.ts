import type { Dialect } from '@mcp-langgraph/db';
import { listDocuments, loadDocument } from './folder.js';
import {
  DEFAULT_SEARCH_LIMIT,
  type KnowledgeHit,
  type KnowledgeIndex,
  type KnowledgeLogger,
  type KnowledgeStats,
  KnowledgeUnavailableError,
  MAX_DOCUMENT_BYTES,
  MAX_SEARCH_LIMIT,
  MAX_SNIPPET_CHARS,
  type SkippedDocument,
  type SyncReport,
} from './knowledge-index.js';
import { queryPhrases } from './query-terms.js';
import { type Section, splitDocument } from './sections.js';

/** What an engine provides; the sync, limits and error handling around it are shared. */
export interface SectionStore {
  readonly kind: Dialect;
  /** Every indexed document's sha256, by source. */
  hashes(): Promise<Map<string, string>>;
  /**
   * Replaces the document's sections in one transaction, unless the stored hash already is
   * `sha256` (another replica got there first): then nothing is written and the answer is false.
   */
  put(document: { source: string; sha256: string; bytes: number }, sections: Section[]): Promise<boolean>;
  /** Deletes the document and its sections. */
  remove(source: string): Promise<void>;
  /** Raw hits for non-empty `phrases`: snippets as the engine made them, scores higher-is-better. */
  search(phrases: string[][], limit: number): Promise<KnowledgeHit[]>;
  stats(): Promise<KnowledgeStats>;
}

export interface KnowledgeIndexOptions {
  logger: KnowledgeLogger;
  /** Files larger than this are skipped (2 MB). */
  maxDocumentBytes?: number;
}

/** The `KnowledgeIndex` over an engine's `SectionStore`. */
export function createKnowledgeIndex(store: SectionStore, options: KnowledgeIndexOptions): KnowledgeIndex {
  const { logger } = options;
  const maxBytes = options.maxDocumentBytes ?? MAX_DOCUMENT_BYTES;
  // Skips are logged when they first happen, not on every poll.
  let reportedSkips = new Set<string>();
  let running: Promise<unknown> = Promise.resolve();

  async function pass(dir: string, signal: AbortSignal | undefined): Promise<SyncReport> {
    const report: SyncReport = { indexed: [], removed: [], unchanged: 0, skipped: [] };
    let listing: Awaited<ReturnType<typeof listDocuments>>;
    try {
      listing = await listDocuments(dir, maxBytes);
    } catch {
      throw new Error(`the docs folder ${dir} cannot be read; the index is left as it is`);
    }
    report.skipped.push(...listing.skipped);
    const known = await store.hashes();
    const present = new Set<string>();
    for (const file of listing.files) {
      if (signal?.aborted) return report;
      const loaded = await loadDocument(file, maxBytes);
      if (!('sha256' in loaded)) {
        report.skipped.push(loaded);
        continue;
      }
      present.add(loaded.source);
      if (known.get(loaded.source) === loaded.sha256) {
        report.unchanged++;
        continue;
      }
      const written = await store.put(loaded, splitDocument(loaded.source, loaded.text));
      if (written) report.indexed.push(loaded.source);
      else report.unchanged++;
    }
    for (const source of known.keys()) {
      if (present.has(source)) continue;
      if (signal?.aborted) return report;
      await store.remove(source);
      report.removed.push(source);
    }
    logSkips(report.skipped);
    return report;
  }

  function logSkips(skipped: readonly SkippedDocument[]) {
    const now = new Set<string>();
    for (const skip of skipped) {
      const key = `${skip.source}\u0000${skip.reason}`;
      now.add(key);
      if (!reportedSkips.has(key)) logger.warn(skip, 'knowledge document skipped');
    }
    reportedSkips = now;
  }

  return {
    kind: store.kind,
    sync(dir, syncOptions = {}) {
      const next = running.then(() => pass(dir, syncOptions.signal));
      running = next.catch(() => undefined);
      return next;
    },
    async search(query, limit = DEFAULT_SEARCH_LIMIT) {
      const phrases = queryPhrases(query);
      if (phrases.length === 0) return [];
      const bounded = Number.isFinite(limit)
        ? Math.min(MAX_SEARCH_LIMIT, Math.max(1, Math.floor(limit)))
        : DEFAULT_SEARCH_LIMIT;
      let hits: KnowledgeHit[];
      try {
        hits = await store.search(phrases, bounded);
      } catch (err) {
        logger.warn({ err }, 'knowledge search failed');
        throw new KnowledgeUnavailableError();
      }
      return hits.map((hit) => ({
        ...hit,
        snippet: finishSnippet(hit.snippet),
        score: roundScore(hit.score),
      }));
    },
    stats: () => store.stats(),
    async close() {
      await running;
    },
  };
}

/** One line of at most `MAX_SNIPPET_CHARS`, cut at a space, with its `**` markers paired. */
export function finishSnippet(raw: string): string {
  let text = raw.replace(/\s+/g, ' ').trim();
  if (text.length > MAX_SNIPPET_CHARS) {
    let cut = text.lastIndexOf(' ', MAX_SNIPPET_CHARS - 1);
    if (cut < MAX_SNIPPET_CHARS / 2) cut = MAX_SNIPPET_CHARS - 1;
    text = `${text.slice(0, cut).trimEnd()}…`;
  }
  const markers = text.split('**').length - 1;
  if (markers % 2 === 1) {
    const last = text.lastIndexOf('**');
    text = text.slice(0, last) + text.slice(last + 2);
  }
  return text;
}

function roundScore(score: number): number {
  return Number.isFinite(score) ? Number(score.toPrecision(4)) : 0;
}
