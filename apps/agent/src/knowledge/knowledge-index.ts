import type { Dialect } from '@mcp-langgraph/db';

/** One matching section of a document. */
export interface KnowledgeHit {
  /** The file, relative to the docs folder, with `/` separators (`guides/setup.md`). */
  source: string;
  /** The section's heading (or the file's name when the text has no heading). */
  title: string;
  /** Plain text around the matched words, each match between `**`; at most `MAX_SNIPPET_CHARS`. */
  snippet: string;
  /** Relevance, higher is better; comparable only within one answer. */
  score: number;
}

/** A file the sync did not index, and why. */
export interface SkippedDocument {
  source: string;
  reason: string;
}

/** What one pass over the docs folder changed. */
export interface SyncReport {
  /** Files (re-)indexed because they are new or their sha256 changed. */
  indexed: string[];
  /** Files whose rows were deleted: gone from the folder, or now skipped. */
  removed: string[];
  /** Files whose content hash matched the index, left alone. */
  unchanged: number;
  skipped: SkippedDocument[];
}

export interface KnowledgeStats {
  documents: number;
  sections: number;
}

/**
 * A full-text index of the operator's documents kept in the agent's own database: SQLite FTS5
 * by default (`sqlite-index.ts`), PostgreSQL full-text search with `DATABASE_URL`
 * (`postgres-index.ts`). Both split documents the same way (`sections.ts`), read queries the same
 * way (`query-terms.ts`) and share the sync (`sync.ts`).
 */
export interface KnowledgeIndex {
  readonly kind: Dialect;
  /**
   * Brings the index in line with `dir`: new and changed files (by sha256) are indexed, each in
   * its own transaction; rows of removed or now-skipped files are deleted; unchanged files are left
   * alone. Passes never overlap: a second call waits for the first. A missing folder changes
   * nothing and is reported as an error.
   */
  sync(dir: string, options?: { signal?: AbortSignal }): Promise<SyncReport>;
  /**
   * Sections matching any word of `query`, best first, at most `limit` (1–50). Any text is a valid
   * query: operators and quotes are words like any other, and a query with no searchable word
   * answers `[]`. Throws `KnowledgeUnavailableError` only when the database cannot answer.
   */
  search(query: string, limit?: number): Promise<KnowledgeHit[]>;
  stats(): Promise<KnowledgeStats>;
  /** Waits for a sync in progress; the database itself belongs to the caller. */
  close(): Promise<void>;
}

/** The one error `search` throws: the database failed; its message is safe to show. */
export class KnowledgeUnavailableError extends Error {
  readonly code = 'knowledge_unavailable';
  constructor() {
    super('the knowledge index cannot be searched right now');
    this.name = 'KnowledgeUnavailableError';
  }
}

/** The logger calls the index makes (pino's `Logger` fits). */
export interface KnowledgeLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/** Files larger than this are skipped (logged), so one stray export cannot swamp the index. */
export const MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;
/** Longest snippet a hit carries. */
export const MAX_SNIPPET_CHARS = 320;
/** Most hits one search returns. */
export const MAX_SEARCH_LIMIT = 50;
export const DEFAULT_SEARCH_LIMIT = 5;
