import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentConfigSchema } from '@mcp-langgraph/config';
import { createDatabase, type Database } from '@mcp-langgraph/db';
import { recordingLogger } from './contract.js';
import type { KnowledgeIndex } from './knowledge-index.js';
import { migrateKnowledgeIndex } from './migrations.js';
import { openKnowledgeIndex, startKnowledgeSync } from './open.js';

/** Resolves once `check` holds, polling; fails the test after `tries` attempts. */
async function eventually(check: () => Promise<boolean>, tries = 200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition never held');
}

describe('keeping the index in step with the folder', () => {
  let dir: string;
  let database: Database<unknown>;
  let index: KnowledgeIndex;
  let passes: number;
  let counted: KnowledgeIndex;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'knowledge-poll-'));
    writeFileSync(join(dir, 'a.md'), '# A\n\nzebras graze\n');
    database = createDatabase({ sqlitePath: ':memory:' });
    await migrateKnowledgeIndex(database);
    index = openKnowledgeIndex(database, { logger: recordingLogger() });
    passes = 0;
    // Counts passes; every call still goes to the real index.
    counted = {
      ...index,
      kind: index.kind,
      sync: (d, o) => {
        passes++;
        return index.sync(d, o);
      },
    };
  });
  afterEach(async () => {
    await index.close();
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('indexes at start-up and picks up a changed file on a later poll', async () => {
    const logger = recordingLogger();
    const sync = startKnowledgeSync({ index: counted, dir, pollMs: 20, logger });
    await sync.ready;
    expect(await index.search('zebras')).toHaveLength(1);
    writeFileSync(join(dir, 'a.md'), '# A\n\nokapis browse\n');
    await eventually(async () => (await index.search('okapis')).length === 1);
    expect(await index.search('zebras')).toEqual([]);
    await sync.stop();
    const after = passes;
    await new Promise((r) => setTimeout(r, 100));
    expect(passes).toBe(after);
    expect(logger.warnings).toEqual([]);
  });

  it('with pollMs 0 looks only once', async () => {
    const sync = startKnowledgeSync({ index: counted, dir, pollMs: 0, logger: recordingLogger() });
    await sync.ready;
    await new Promise((r) => setTimeout(r, 100));
    expect(passes).toBe(1);
    await sync.stop();
  });

  it('logs a failed pass and keeps polling', async () => {
    const logger = recordingLogger();
    const missing = join(dir, 'not-yet');
    const sync = startKnowledgeSync({ index: counted, dir: missing, pollMs: 20, logger });
    await sync.ready;
    expect(logger.warnings[0]?.message).toBe('knowledge index sync failed');
    await eventually(async () => passes >= 3);
    await sync.stop();
  });
});

describe('configuration', () => {
  it('defaults to the docs folder, polled every minute', () => {
    const config = agentConfigSchema.parse({});
    expect(config.AGENT_DOCS_DIR).toBe('docs');
    expect(config.AGENT_DOCS_POLL_MS).toBe(60_000);
  });

  it('turns the tool off with an empty folder and checks the poll interval', () => {
    expect(agentConfigSchema.parse({ AGENT_DOCS_DIR: '  ' }).AGENT_DOCS_DIR).toBe('');
    expect(agentConfigSchema.parse({ AGENT_DOCS_POLL_MS: '0' }).AGENT_DOCS_POLL_MS).toBe(0);
    expect(agentConfigSchema.safeParse({ AGENT_DOCS_POLL_MS: '500' }).success).toBe(false);
    expect(agentConfigSchema.safeParse({ AGENT_DOCS_POLL_MS: 'soon' }).success).toBe(false);
  });
});
