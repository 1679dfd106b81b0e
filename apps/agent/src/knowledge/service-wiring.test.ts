import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { useAgent } from '../testing/setup.js';
import { openKnowledgeIndex } from './open.js';
import { SearchingModel } from './testing.js';

/**
 * The composition root with the default AGENT_DOCS_DIR (`docs`, from the repository root where
 * the tests run): the index is synced in the background and `knowledge_search` is in the graph.
 */
describe('knowledge_search in the agent service', () => {
  const { agent, sdk } = useAgent({ models: [new SearchingModel(1)] });
  const pages = readdirSync(join(__dirname, '..', '..', '..', '..', 'docs')).filter((f) => f.endsWith('.md'));

  it('answers a run from the shipped docs', async () => {
    const watcher = openKnowledgeIndex(agent().database, { logger: { info() {}, warn() {} } });
    for (let i = 0; i < 200 && (await watcher.stats()).documents < pages.length; i++)
      await new Promise((r) => setTimeout(r, 25));
    expect((await watcher.stats()).documents).toBe(pages.length);

    const client = sdk('alice');
    const thread = await client.threads.create();
    const values = (await client.runs.wait(thread.thread_id, 'agent', {
      input: { messages: [{ type: 'human', content: 'rate limit' }] },
    })) as { messages: Array<{ type: string; name?: string; content: string }> };
    const tool = values.messages.find((m) => m.type === 'tool');
    expect(tool?.name).toBe('knowledge_search');
    const answer = JSON.parse(tool!.content);
    expect(answer.hits).toHaveLength(1);
    expect(answer.hits[0].source).toBe('security.md');
    expect(values.messages.at(-1)?.content).toBe('See security.md.');
  });
});
