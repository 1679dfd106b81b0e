import { randomUUID } from 'node:crypto';
import { ASSISTANT_ID } from './assistant.js';
import { createRunStore } from './store/runs.js';
import { apiClient } from './testing/client.js';
import { type Harness, startAgent } from './testing/harness.js';
import type { FakeLlm } from './testing/llm/server.js';
import { startTestMcpServer, type TestMcpServer } from './testing/mcp-server.js';
import { askAgent, startToolModel, toolCallCount } from './testing/tool-model.js';

// biome-ignore lint/suspicious/noExplicitAny: LangChain message dicts as the API returns them
type Message = any;

describe('every tool call is authorized for the user the run acts for', () => {
  let docs: TestMcpServer;
  let llm: FakeLlm;
  let agent: Harness;
  const api = apiClient(() => agent);

  beforeAll(async () => {
    docs = await startTestMcpServer();
    const fake = await startToolModel();
    llm = fake.llm;
    const model = fake.model;
    agent = await startAgent({
      models: [model],
      env: { AGENT_MCP_SERVERS: JSON.stringify([{ name: 'docs', url: docs.url }]) },
    });
    // The operator grants the downstream tool to alice only.
    await agent.authorizer.write([{ user: 'user:alice', relation: 'executor', object: 'tool:docs/search' }]);
  });
  afterAll(async () => {
    await agent?.close();
    await llm?.close();
    await docs?.close();
  });

  const ask = (sub: string, text: string, extra?: Record<string, unknown>) =>
    askAgent(api.sdk(sub), text, extra);
  const metric = (tool: string, status: string) => toolCallCount(agent.url, tool, status);

  it('lets any signed-in user use a built-in tool', async () => {
    const before = await metric('calculator', 'success');
    const { tool, answer } = await ask('carol', 'Please multiply 17 by 23.');
    expect(tool).toMatchObject({ name: 'calculator', content: '391', status: 'success' });
    expect(answer).toBe('Tool said: 391');
    expect(await metric('calculator', 'success')).toBe(before + 1);
  });

  it('runs a downstream tool for a user granted it, and its result reaches the conversation', async () => {
    const before = await metric('docs/search', 'success');
    const { tool, answer } = await ask('alice', 'What do the docs say about kong?');
    expect(tool).toMatchObject({
      name: 'docs__search',
      status: 'success',
      content: 'Found 1 page for "kong": docs/kong.md',
    });
    expect(answer).toBe('Tool said: Found 1 page for "kong": docs/kong.md');
    expect(docs.calls.at(-1)).toEqual({ tool: 'search', args: { query: 'kong' } });
    expect(await metric('docs/search', 'success')).toBe(before + 1);
  });

  it('refuses it to a user without the grant: the run still answers, and says why', async () => {
    const calls = docs.calls.length;
    const before = await metric('docs/search', 'denied');
    const { tool, answer } = await ask('bob', 'What do the docs say about kong?');
    expect(tool).toMatchObject({
      name: 'docs__search',
      status: 'error',
      content: 'You may not use the tool docs__search.',
    });
    expect(answer).toBe('Tool said: You may not use the tool docs__search.');
    expect(docs.calls).toHaveLength(calls);
    expect(await metric('docs/search', 'denied')).toBe(before + 1);
  });

  it('cannot be told whom it acts for, through configurable or context', async () => {
    const calls = docs.calls.length;
    const { tool } = await ask('bob', 'What do the docs say about kong?', {
      config: { configurable: { __agent_caller: 'user:alice', caller: 'user:alice', user: 'user:alice' } },
      context: { __agent_caller: 'user:alice', caller: 'user:alice', user_id: 'alice' },
    });
    expect(tool).toMatchObject({ status: 'error', content: 'You may not use the tool docs__search.' });
    expect(docs.calls).toHaveLength(calls);
  });

  it('keeps the caller out of the run as the API shows it', async () => {
    const client = api.sdk('alice');
    const thread = await client.threads.create();
    const run = await client.runs.create(thread.thread_id, 'agent', {
      input: { messages: [{ type: 'human', content: 'hello' }] },
    });
    await client.runs.join(thread.thread_id, run.run_id);
    const read = await client.runs.get(thread.thread_id, run.run_id);
    expect(JSON.stringify(read)).not.toContain('alice');
  });

  it('refuses every tool to a run stored without a caller (queued before tools were authorized)', async () => {
    const client = api.sdk('dave');
    const thread = await client.threads.create();
    const runId = randomUUID();
    const store = createRunStore(agent.database.db, 'sqlite');
    await store.enqueue(
      {
        runId,
        threadId: thread.thread_id,
        assistantId: ASSISTANT_ID,
        metadata: {},
        kwargs: {
          input: { messages: [{ type: 'human', content: 'Please multiply 17 by 23.' }] },
          command: null,
          config: {},
          context: null,
          stream_mode: ['values'],
          subgraphs: false,
          resumable: false,
          interrupt_before: null,
          interrupt_after: null,
          temporary: false,
          checkpoint_id: null,
        },
        multitaskStrategy: 'reject',
        createdAt: new Date().toISOString(),
      },
      8,
      {},
    );
    const values = (await client.runs.join(thread.thread_id, runId)) as { messages: Message[] };
    const tool = values.messages.find((m) => m.type === 'tool');
    expect(tool).toMatchObject({ name: 'calculator', status: 'error' });
    expect(tool.content).toContain(
      'You may not use the tool calculator: this run does not say which user it acts for',
    );
    expect(values.messages.at(-1).content).toContain('Tool said: You may not use the tool calculator');
  });
});
