import { type AIMessageChunk, HumanMessage } from '@langchain/core/messages';
import { MemorySaver } from '@langchain/langgraph';
import { parseModelSpec } from '@mcp-langgraph/protocol';
import { createAgentGraph, SYSTEM_PROMPT } from '../graph.js';
import { type FakeLlm, PROVIDER_CASES } from '../testing/llm/index.js';
import { createTools } from '../tools/index.js';
import { createAgentModel, createChatModels } from './providers.js';

describe.each(PROVIDER_CASES)('$spec through its LangChain package', (c) => {
  let fake: FakeLlm;
  beforeAll(async () => {
    fake = await c.start({ key: c.key });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.requests.length = 0;
  });

  const build = () => createChatModels({ models: [parseModelSpec(c.spec)], env: c.env(fake.url) })[0]!;

  it('streams an answer as several token chunks', async () => {
    const { model, name } = build();
    expect(name).toBe(c.spec);
    const chunks: AIMessageChunk[] = [];
    for await (const chunk of await model.stream([new HumanMessage('Say hello.')])) chunks.push(chunk);
    const texts = chunks.map((ch) => ch.text).filter(Boolean);
    expect(texts.length).toBeGreaterThan(3);
    expect(texts.join('')).toBe('Hello from the fake model, streamed word by word.');

    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request!.model).toBe(c.model);
    expect(request!.stream).toBe(true);
    expect(request!.auth).toBe('ok');
  });

  it('runs a tool round trip in the graph, streaming the answer in chunks of one message', async () => {
    const models = createChatModels({ models: [parseModelSpec(c.spec)], env: c.env(fake.url) });
    const graph = createAgentGraph({
      model: createAgentModel(models, { timeoutMs: 10_000 }),
      tools: createTools(),
      checkpointer: new MemorySaver(),
      maxIterations: 4,
      systemPrompt: SYSTEM_PROMPT,
    });
    const config = { configurable: { thread_id: `round-trip-${c.spec}` } };
    const byId = new Map<string, string[]>();
    const stream = await graph.stream(
      { messages: [new HumanMessage('What is 17 times 23?')] },
      { ...config, streamMode: 'messages' },
    );
    for await (const [message, metadata] of stream) {
      if (message.getType() !== 'ai' || metadata.langgraph_node !== 'agent' || !message.text) continue;
      byId.set(message.id!, [...(byId.get(message.id!) ?? []), message.text]);
    }
    // The answer after the tool result arrived word by word, all under one message id.
    const answer = [...byId.values()].find((parts) => parts.join('') === 'The product is 391.');
    expect(answer).toBeDefined();
    expect(answer!.length).toBeGreaterThan(2);

    const state = await graph.getState(config);
    const messages = state.values.messages as Array<{ getType(): string; text: string }>;
    expect(messages.map((m) => m.getType())).toEqual(['human', 'ai', 'tool', 'ai']);
    expect(messages[2]!.text).toBe('391');
    expect(messages.at(-1)!.text).toBe('The product is 391.');

    expect(fake.requests).toHaveLength(2);
    const [first, second] = fake.requests;
    expect(first!.tools).toContain('calculator');
    expect(first!.toolResult).toBeUndefined();
    expect(first!.stream).toBe(true);
    expect(JSON.stringify(first!.body)).toContain('Use the calculator tool');
    expect(second!.toolResult).toBe('391');
    expect(second!.auth).toBe('ok');
    // What the fake keeps shows that a credential arrived, never the credential itself.
    if (c.key) expect(JSON.stringify(fake.requests)).not.toContain(c.key);
  });
});
