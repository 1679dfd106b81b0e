import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HumanMessage, ToolMessage } from '@langchain/core/messages';
import { createDatabase, type Database } from '@mcp-langgraph/db';
import { createSqliteCheckpointer } from '../checkpointer.js';
import { createAgentGraph } from '../graph.js';
import {
  type KnowledgeIndex,
  KnowledgeUnavailableError,
  migrateKnowledgeIndex,
  openKnowledgeIndex,
} from '../knowledge/index.js';
import { SearchingModel } from '../knowledge/testing.js';
import { createTools } from './index.js';
import { createKnowledgeSearchTool, KNOWLEDGE_SEARCH_TOOL } from './knowledge-search.js';

const quiet = { info() {}, warn() {} };

describe('knowledge_search tool', () => {
  let dir: string;
  let database: Database<unknown>;
  let index: KnowledgeIndex;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'knowledge-tool-'));
    writeFileSync(join(dir, 'limits.md'), '# Rate limits\n\nKong applies a rate limit per consumer.\n');
    writeFileSync(join(dir, 'auth.md'), '# Tokens\n\nAccess tokens live fifteen minutes.\n');
    database = createDatabase({ sqlitePath: ':memory:' });
    await migrateKnowledgeIndex(database);
    index = openKnowledgeIndex(database, { logger: quiet });
    await index.sync(dir);
  });
  afterAll(async () => {
    await index.close();
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers JSON with the query and hits naming file, heading, snippet and score', async () => {
    const tool = createKnowledgeSearchTool(index);
    const answer = JSON.parse(await tool.invoke({ query: 'rate limit' }));
    expect(answer).toEqual({
      query: 'rate limit',
      hits: [
        {
          source: 'limits.md',
          title: 'Rate limits',
          snippet: 'Kong applies a **rate** **limit** per consumer.',
          score: expect.any(Number),
        },
      ],
    });
    expect(answer.hits[0].score).toBeGreaterThan(0);
    expect(JSON.parse(await tool.invoke({ query: 'nothing like this' }))).toEqual({
      query: 'nothing like this',
      hits: [],
    });
  });

  it('caps hits at limit and refuses arguments outside the schema', async () => {
    const tool = createKnowledgeSearchTool(index);
    expect(JSON.parse(await tool.invoke({ query: 'rate tokens', limit: 1 })).hits).toHaveLength(1);
    expect(JSON.parse(await tool.invoke({ query: 'rate tokens' })).hits).toHaveLength(2);
    await expect(tool.invoke({ query: '' })).rejects.toThrow();
    await expect(tool.invoke({ query: 'x'.repeat(501) })).rejects.toThrow();
    await expect(tool.invoke({ query: 'rate', limit: 21 })).rejects.toThrow();
    await expect(tool.invoke({ query: 'rate', limit: 1.5 })).rejects.toThrow();
    expect(JSON.parse(await tool.invoke({ query: '"; drop table x; -- NEAR(' })).hits).toEqual([]);
  });

  it('reports an index that cannot answer as a tool error without its internals', async () => {
    const broken = createDatabase({ sqlitePath: ':memory:' });
    const unmigrated = openKnowledgeIndex(broken, { logger: quiet });
    const tool = createKnowledgeSearchTool(unmigrated);
    await expect(tool.invoke({ query: 'rate' })).rejects.toThrow(KnowledgeUnavailableError);
    await expect(tool.invoke({ query: 'rate' })).rejects.toThrow(
      /^the knowledge index cannot be searched right now$/,
    );
    await broken.close();
  });

  it('is offered only when an index exists', () => {
    expect(createTools().map((t) => t.name)).not.toContain(KNOWLEDGE_SEARCH_TOOL);
    expect(createTools({ knowledge: index }).map((t) => t.name)).toContain(KNOWLEDGE_SEARCH_TOOL);
  });

  it('runs in the graph: the tool node answers the model with the hits', async () => {
    const checkpointer = createSqliteCheckpointer(':memory:');
    const graph = createAgentGraph({
      model: new SearchingModel(),
      tools: createTools({ knowledge: index }),
      checkpointer: checkpointer.saver,
      maxIterations: 3,
    });
    const result = await graph.invoke(
      { messages: [new HumanMessage('How long do access tokens live?')] },
      { configurable: { thread_id: 'knowledge-1' }, recursionLimit: 10 },
    );
    const toolMessage = result.messages.find((m) => m instanceof ToolMessage) as ToolMessage;
    expect(toolMessage.name).toBe(KNOWLEDGE_SEARCH_TOOL);
    const answer = JSON.parse(toolMessage.text);
    expect(answer.query).toBe('How long do access tokens live?');
    expect(answer.hits[0]).toMatchObject({ source: 'auth.md', title: 'Tokens' });
    expect(answer.hits[0].snippet).toContain('**tokens** **live**');
    expect(result.messages.at(-1)!.text).toBe('See auth.md.');
    await checkpointer.close();
  });
});
