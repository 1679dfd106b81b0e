import { createServer, type IncomingMessage, type Server } from 'node:http';
import { HumanMessage } from '@langchain/core/messages';
import { MemorySaver } from '@langchain/langgraph';
import { ChatOpenAI } from '@langchain/openai';
import { createAgentGraph, SYSTEM_PROMPT } from '../graph.js';
import { createTools } from '../tools/index.js';
import { OfflineChatModel } from './offline.js';
import { createChatModels, ModelConfigError } from './providers.js';

// biome-ignore lint/suspicious/noExplicitAny: request bodies are what the assertions examine
type Captured = { path?: string; authorization?: string; body: any };

/** A chat-completions endpoint that calls the calculator first and then answers from its result. */
async function startFakeOpenAi(options: { failWith?: number } = {}) {
  const requests: Captured[] = [];
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => resolve(body));
    });
  const server: Server = createServer(async (req, res) => {
    const body = JSON.parse(await read(req));
    requests.push({ path: req.url, authorization: req.headers.authorization, body });
    res.setHeader('content-type', 'application/json');
    if (options.failWith) {
      res.statusCode = options.failWith;
      res.end(JSON.stringify({ error: { message: 'model not available', type: 'invalid_request_error' } }));
      return;
    }
    const toolResult = body.messages.find((m: { role: string }) => m.role === 'tool');
    const message = toolResult
      ? { role: 'assistant', content: `The product is ${toolResult.content}.` }
      : {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_fake_1',
              type: 'function',
              function: { name: 'calculator', arguments: JSON.stringify({ expression: '17 * 23' }) },
            },
          ],
        };
    res.end(
      JSON.stringify({
        id: `chatcmpl-${requests.length}`,
        object: 'chat.completion',
        created: 0,
        model: body.model,
        choices: [{ index: 0, message, finish_reason: toolResult ? 'stop' : 'tool_calls' }],
        usage: {
          prompt_tokens: 100 + requests.length,
          completion_tokens: 7,
          total_tokens: 107 + requests.length,
        },
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('createChatModels', () => {
  it('builds the offline model by default and refuses providers without credentials', () => {
    expect(createChatModels({ provider: 'offline' })[0]).toBeInstanceOf(OfflineChatModel);
    expect(() => createChatModels({ provider: 'openai' })).toThrow(ModelConfigError);
    expect(() => createChatModels({ provider: 'anthropic' })).toThrow('ANTHROPIC_API_KEY');
    expect(() => createChatModels({ provider: 'offline', fallbacks: ['anthropic'] })).toThrow(
      'ANTHROPIC_API_KEY',
    );
  });

  it('puts fallbacks after the primary, without repeating it', () => {
    const models = createChatModels({
      provider: 'openai',
      fallbacks: ['openai', 'offline'],
      openaiApiKey: 'sk-test',
      model: 'gpt-test',
    });
    expect(models).toHaveLength(2);
    expect(models[0]).toBeInstanceOf(ChatOpenAI);
    expect((models[0] as ChatOpenAI).model).toBe('gpt-test');
    expect(models[1]).toBeInstanceOf(OfflineChatModel);
  });
});

describe('the graph with an OpenAI-compatible provider', () => {
  it('sends the tools and system prompt, runs the requested tool, and answers from its result', async () => {
    const fake = await startFakeOpenAi();
    try {
      const [model] = createChatModels({
        provider: 'ollama',
        baseUrl: fake.baseUrl,
        model: 'test-model',
        timeoutMs: 5000,
      });
      const usage: Array<{ input: number; output: number }> = [];
      const graph = createAgentGraph({
        model: model!,
        tools: createTools(),
        checkpointer: new MemorySaver(),
        maxIterations: 4,
        systemPrompt: SYSTEM_PROMPT,
        onUsage: (u) => usage.push(u),
      });
      const result = await graph.invoke(
        { messages: [new HumanMessage('What is 17 times 23?')] },
        { configurable: { thread_id: 'provider-1' } },
      );
      expect(result.messages.at(-1)!.text).toBe('The product is 391.');
      expect(result.messages.map((m) => m.getType())).toEqual(['human', 'ai', 'tool', 'ai']);

      expect(fake.requests).toHaveLength(2);
      const [first, second] = fake.requests as [Captured, Captured];
      expect(first.path).toBe('/v1/chat/completions');
      expect(first.body.model).toBe('test-model');
      expect(first.body.stream).toBeFalsy();
      expect(first.body.tools.map((t: { function: { name: string } }) => t.function.name)).toEqual([
        'calculator',
        'clock',
      ]);
      expect(first.body.messages[0]).toEqual({ role: 'system', content: SYSTEM_PROMPT });
      expect(second.body.messages.at(-1)).toMatchObject({
        role: 'tool',
        content: '391',
        tool_call_id: 'call_fake_1',
      });
      // The system prompt is sent, never stored in the thread.
      expect(result.messages.some((m) => m.getType() === 'system')).toBe(false);
      expect(usage).toEqual([
        { input: 101, output: 7 },
        { input: 102, output: 7 },
      ]);
    } finally {
      await fake.close();
    }
  });

  it('falls back to the next model when the provider refuses the request', async () => {
    const fake = await startFakeOpenAi({ failWith: 400 });
    try {
      const [model, ...fallbacks] = createChatModels({
        provider: 'openai',
        fallbacks: ['offline'],
        baseUrl: fake.baseUrl,
        openaiApiKey: 'sk-test',
        timeoutMs: 5000,
      });
      const graph = createAgentGraph({
        model: model!,
        fallbacks,
        tools: createTools(),
        checkpointer: new MemorySaver(),
        maxIterations: 4,
      });
      const result = await graph.invoke(
        { messages: [new HumanMessage('What is 17 * 23?')] },
        { configurable: { thread_id: 'provider-2' } },
      );
      expect(fake.requests.length).toBeGreaterThanOrEqual(1);
      expect(fake.requests[0]!.authorization).toBe('Bearer sk-test');
      expect(result.messages.at(-1)!.text).toBe('17 * 23 = 391.');
    } finally {
      await fake.close();
    }
  });
});
