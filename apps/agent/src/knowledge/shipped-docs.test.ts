import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createDatabase, type Database } from '@mcp-langgraph/db';
import type { KnowledgeIndex, SyncReport } from './knowledge-index.js';
import { migrateKnowledgeIndex } from './migrations.js';
import { openKnowledgeIndex } from './open.js';

/** The repository's own `docs/`, the default AGENT_DOCS_DIR, answers questions about the system. */
describe('the shipped docs folder', () => {
  const docs = join(__dirname, '..', '..', '..', '..', 'docs');
  const warnings: string[] = [];
  let database: Database<unknown>;
  let index: KnowledgeIndex;
  let report: SyncReport;

  beforeAll(async () => {
    database = createDatabase({ sqlitePath: ':memory:' });
    await migrateKnowledgeIndex(database);
    index = openKnowledgeIndex(database, { logger: { info() {}, warn: (_d, m) => warnings.push(m) } });
    report = await index.sync(docs);
  });
  afterAll(async () => {
    await index.close();
    await database.close();
  });

  it('indexes every page and skips nothing', async () => {
    const pages = readdirSync(docs).filter((f) => f.endsWith('.md'));
    expect(pages.length).toBeGreaterThanOrEqual(5);
    expect(report.indexed.sort()).toEqual(pages.sort());
    expect(report.skipped).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it.each([
    ['rate limit', 'security.md', 'Rate limits'],
    ['OpenFGA', 'authorization.md', undefined],
    ['share a conversation with another user', 'authorization.md', 'Sharing a conversation'],
    ['double-texting multitask_strategy', 'agent-api.md', 'Runs are durable'],
    ['sha256 re-indexed when a file changed', 'knowledge-search.md', 'Keeping the index current'],
    ['npm start seed users', 'getting-started.md', 'The two commands'],
  ])('answers "%s" from %s', async (query, source, title) => {
    const [hit] = await index.search(query);
    expect(hit?.source).toBe(source);
    if (title) expect(hit?.title).toBe(title);
    expect(hit?.snippet).toContain('**');
  });
});
