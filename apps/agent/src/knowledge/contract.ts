import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type KnowledgeIndex, type KnowledgeLogger, MAX_DOCUMENT_BYTES } from './knowledge-index.js';
import type { KnowledgeIndexOptions } from './sync.js';

/** One engine under test: a fresh, migrated, empty database per test. */
export interface ContractEngine {
  /** An index on a fresh database. */
  open(options: KnowledgeIndexOptions): Promise<ContractDatabase>;
}

export interface ContractDatabase {
  index: KnowledgeIndex;
  /**
   * A second index over the same tables, as another replica: its own connection pool on
   * PostgreSQL; on SQLite, which one process owns, a second index over the same connection.
   */
  replica(options: KnowledgeIndexOptions): Promise<KnowledgeIndex>;
  close(): Promise<void>;
}

/** A logger that keeps what it was told. */
export function recordingLogger(): KnowledgeLogger & {
  warnings: Array<{ details: object; message: string }>;
} {
  const warnings: Array<{ details: object; message: string }> = [];
  return {
    warnings,
    info() {},
    warn(details, message) {
      warnings.push({ details, message });
    },
  };
}

const CORPUS: Record<string, string> = {
  'rate-limits.md':
    '# Rate limits\n\nKong enforces a rate limit on every route. The rate limit is kept in Redis.\n\n' +
    '## Tiers\n\nPremium users get a higher rate limit than free users; limits are per minute.\n',
  'overview.md':
    '# Overview\n\nThe platform has an agent, an edge and an authorization server. It was first rated ' +
    'by early users.\n\n## Storage\n\nConversations are stored in PostgreSQL or SQLite.\n',
  'guides/setup.md':
    '# Setup\n\nRun npm install, then npm start.\n\n## OpenFGA\n\nSet OPENFGA_API_URL to use the OpenFGA server ' +
    'instead of the embedded engine.\n',
  'notes.txt': 'Plain text notes about checkpoints.\n\nCheckpoints are pruned after each run.\n',
  'ignored.json': '{"rate": "limit"}',
  '.hidden/secret.md': '# Hidden\n\nrate limit zebra\n',
};

/** The hostile inputs every engine must answer with a list (maybe empty), never an error. */
export const HOSTILE_QUERIES = [
  '"',
  "'",
  '""""',
  '"rate limit',
  'rate" OR "1"="1',
  'AND OR NOT',
  'rate AND',
  'NEAR(rate limit)',
  'title:rate',
  '{title body}:rate',
  '*',
  'rate*',
  '^rate',
  '(',
  ')))',
  '-rate',
  '!rate & | <-> limit',
  '\u0000rate\u0000',
  "'; drop table knowledge_documents; --",
  '%_\\',
  '<b>rate</b>',
  '🚦 rate 🚦',
  'ｒａｔｅ',
  'a'.repeat(10_000),
  'rate '.repeat(2_000),
  ' \t\n ',
];

/** The suite every `KnowledgeIndex` passes. */
export function knowledgeIndexContract(name: string, engine: ContractEngine): void {
  describe(`knowledge index contract: ${name}`, () => {
    let dir: string;
    let outside: string;
    let logger: ReturnType<typeof recordingLogger>;
    let database: ContractDatabase;
    let index: KnowledgeIndex;
    const write = (source: string, text: string) => {
      mkdirSync(dirname(join(dir, source)), { recursive: true });
      writeFileSync(join(dir, source), text);
    };

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'knowledge-docs-'));
      outside = mkdtempSync(join(tmpdir(), 'knowledge-outside-'));
      for (const [source, text] of Object.entries(CORPUS)) write(source, text);
      logger = recordingLogger();
      database = await engine.open({ logger });
      index = database.index;
    });
    afterEach(async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    });

    it('indexes Markdown and text files, not other or hidden files', async () => {
      const report = await index.sync(dir);
      expect(report.indexed.sort()).toEqual([
        'guides/setup.md',
        'notes.txt',
        'overview.md',
        'rate-limits.md',
      ]);
      expect(report).toMatchObject({ removed: [], unchanged: 0, skipped: [] });
      expect(await index.stats()).toEqual({ documents: 4, sections: 7 });
      expect(await index.search('zebra')).toEqual([]);
    });

    it('ranks the more relevant section first, with its source, heading and a snippet of the match', async () => {
      await index.sync(dir);
      const hits = await index.search('rate limit');
      expect(hits.length).toBeGreaterThanOrEqual(2);
      expect(hits[0]).toMatchObject({ source: 'rate-limits.md', title: 'Rate limits' });
      expect(hits[0]!.snippet).toMatch(/\*\*rate\*\* \*\*limit\*\*/i);
      expect(hits[0]!.snippet).not.toMatch(/<\/?b>/);
      expect(hits.map((h) => h.source)).not.toContain('guides/setup.md');
      for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
      expect(hits[0]!.score).toBeGreaterThan(hits.at(-1)!.score);
    });

    it('points a hit at the right section of a nested file, and stems words', async () => {
      await index.sync(dir);
      const [hit] = await index.search('OpenFGA servers');
      expect(hit).toMatchObject({ source: 'guides/setup.md', title: 'OpenFGA' });
      expect(hit!.snippet).toContain('**OpenFGA**');
      const [text] = await index.search('checkpoint');
      expect(text).toMatchObject({ source: 'notes.txt', title: 'notes' });
    });

    it('returns at most `limit` hits and [] when nothing matches', async () => {
      await index.sync(dir);
      expect(await index.search('rate limit users', 1)).toHaveLength(1);
      expect(await index.search('nonexistentword')).toEqual([]);
      expect(await index.search('the is of what')).toEqual([]);
    });

    it('answers every hostile query with a list, and keeps working', async () => {
      await index.sync(dir);
      for (const query of HOSTILE_QUERIES) {
        const hits = await index.search(query);
        expect(Array.isArray(hits)).toBe(true);
        expect(hits.length).toBeLessThanOrEqual(5);
      }
      expect((await index.search('\u0000rate\u0000'))[0]?.source).toBe('rate-limits.md');
      expect((await index.search('"rate limit'))[0]?.source).toBe('rate-limits.md');
      expect(await index.stats()).toEqual({ documents: 4, sections: 7 });
    });

    it('re-indexes only the file whose content changed', async () => {
      await index.sync(dir);
      const again = await index.sync(dir);
      expect(again).toMatchObject({ indexed: [], removed: [], unchanged: 4 });
      write('overview.md', '# Overview\n\nThe platform now also speaks about giraffes.\n');
      const report = await index.sync(dir);
      expect(report).toMatchObject({ indexed: ['overview.md'], removed: [], unchanged: 3 });
      expect((await index.search('giraffes'))[0]).toMatchObject({ source: 'overview.md', title: 'Overview' });
      expect(await index.search('PostgreSQL')).toEqual([]);
      expect(await index.stats()).toEqual({ documents: 4, sections: 6 });
    });

    it('deletes the rows of a removed file', async () => {
      await index.sync(dir);
      expect(await index.search('checkpoints')).toHaveLength(1);
      unlinkSync(join(dir, 'notes.txt'));
      const report = await index.sync(dir);
      expect(report).toMatchObject({ indexed: [], removed: ['notes.txt'], unchanged: 3 });
      expect(await index.search('checkpoints')).toEqual([]);
      expect(await index.stats()).toEqual({ documents: 3, sections: 6 });
    });

    it('skips files over the size bound, with one log line, and drops them once they grow past it', async () => {
      write('huge.md', `# Huge\n\n${'elephant '.repeat(MAX_DOCUMENT_BYTES / 9 + 1)}`);
      const first = await index.sync(dir);
      expect(first.skipped).toEqual([{ source: 'huge.md', reason: 'larger than 2 MB' }]);
      expect(first.indexed).not.toContain('huge.md');
      expect(await index.search('elephant')).toEqual([]);
      await index.sync(dir);
      expect(logger.warnings).toEqual([
        { details: { source: 'huge.md', reason: 'larger than 2 MB' }, message: 'knowledge document skipped' },
      ]);
      write('overview.md', `# Overview\n\n${'giraffe '.repeat(MAX_DOCUMENT_BYTES / 8 + 1)}`);
      const grown = await index.sync(dir);
      expect(grown.removed).toEqual(['overview.md']);
      expect(await index.search('PostgreSQL')).toEqual([]);
    });

    it('follows links inside the folder and skips links that leave it', async () => {
      writeFileSync(join(outside, 'private.md'), '# Private\n\nwalrus credentials\n');
      symlinkSync(join(outside, 'private.md'), join(dir, 'escape.md'));
      symlinkSync(outside, join(dir, 'escape-dir'));
      symlinkSync(join(dir, 'notes.txt'), join(dir, 'alias.txt'));
      const report = await index.sync(dir);
      expect(report.skipped.sort((a, b) => (a.source < b.source ? -1 : 1))).toEqual([
        { source: 'escape-dir', reason: 'link leaves the docs folder' },
        { source: 'escape.md', reason: 'link leaves the docs folder' },
      ]);
      expect(await index.search('walrus')).toEqual([]);
      expect(report.indexed).toContain('alias.txt');
    });

    it('leaves the index as it is when the folder is missing', async () => {
      await index.sync(dir);
      await expect(index.sync(join(dir, 'nope'))).rejects.toThrow(
        'cannot be read; the index is left as it is',
      );
      expect(await index.stats()).toEqual({ documents: 4, sections: 7 });
    });

    it('never duplicates rows when replicas sync the same folder at once', async () => {
      const other = await database.replica({ logger: recordingLogger() });
      const [a, b] = await Promise.all([index.sync(dir), other.sync(dir)]);
      expect([...a.indexed, ...b.indexed].sort()).toEqual([
        'guides/setup.md',
        'notes.txt',
        'overview.md',
        'rate-limits.md',
      ]);
      expect(await index.stats()).toEqual({ documents: 4, sections: 7 });
      write('overview.md', '# Overview\n\nOnly giraffes now.\n');
      await Promise.all([index.sync(dir), other.sync(dir), index.sync(dir)]);
      expect(await other.stats()).toEqual({ documents: 4, sections: 6 });
      expect(await other.search('giraffes')).toHaveLength(1);
      await other.close();
    });
  });
}
