import { resolve } from 'node:path';
import type { Database } from '@mcp-langgraph/db';
import type { Kysely } from 'kysely';
import type { KnowledgeIndex, KnowledgeLogger } from './knowledge-index.js';
import type { KnowledgeDatabase } from './migrations.js';
import { createPostgresKnowledgeIndex } from './postgres-index.js';
import { createSqliteKnowledgeIndex } from './sqlite-index.js';
import type { KnowledgeIndexOptions } from './sync.js';

/**
 * The index in the agent's own database, on whichever engine it runs (the tables come from
 * `migrateKnowledgeIndex`, which `openStores` runs with the other migrations).
 */
export function openKnowledgeIndex<DB>(
  database: Database<DB>,
  options: KnowledgeIndexOptions,
): KnowledgeIndex {
  const db = database.db as unknown as Kysely<KnowledgeDatabase>;
  return database.dialect === 'postgres'
    ? createPostgresKnowledgeIndex(db, options)
    : createSqliteKnowledgeIndex(db, options);
}

export interface KnowledgeSync {
  /** Settles when the first pass is over (whether or not it succeeded). */
  ready: Promise<void>;
  /** Stops polling, interrupts a pass between two documents and waits for it. */
  stop(): Promise<void>;
}

/**
 * Syncs `dir` (relative to the working directory) into `index` now and then every `pollMs`
 * (0: only now). Passes never overlap; a
 * failed pass is logged and the next one tries again. Changes are logged at info level.
 */
export function startKnowledgeSync(options: {
  index: KnowledgeIndex;
  dir: string;
  pollMs: number;
  logger: KnowledgeLogger;
}): KnowledgeSync {
  const { index, pollMs, logger } = options;
  const dir = resolve(options.dir);
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();

  const pass = async () => {
    try {
      const report = await index.sync(dir, { signal: abort.signal });
      if (report.indexed.length > 0 || report.removed.length > 0)
        logger.info(
          {
            dir,
            indexed: report.indexed.length,
            removed: report.removed.length,
            unchanged: report.unchanged,
            skipped: report.skipped.length,
          },
          'knowledge index updated',
        );
    } catch (err) {
      logger.warn({ err, dir }, 'knowledge index sync failed');
    }
  };
  const schedule = () => {
    if (pollMs <= 0 || abort.signal.aborted) return;
    timer = setTimeout(() => {
      current = pass().then(schedule);
    }, pollMs);
    timer.unref();
  };

  current = pass().then(schedule);
  const ready = current;
  return {
    ready,
    async stop() {
      abort.abort();
      clearTimeout(timer);
      await current;
      clearTimeout(timer);
    },
  };
}
