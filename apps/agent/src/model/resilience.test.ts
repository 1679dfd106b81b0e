import { HumanMessage } from '@langchain/core/messages';
import { MemorySaver } from '@langchain/langgraph';
import { parseModelSpec } from '@mcp-langgraph/protocol';
import { Registry } from 'prom-client';
import { createAgentGraph } from '../graph.js';
import { createAgentMetrics } from '../metrics.js';
import { type FakeLlm, startFakeAnthropic, startFakeOpenAi } from '../testing/llm/index.js';
import { createTools } from '../tools/index.js';
import { modelRequestRecorder } from './model-metrics.js';
import { createAgentModel, createChatModels } from './providers.js';
import { backoffDelay, type RequestReport } from './resilience.js';
import { isRetryableModelError, ModelTimeoutError } from './retryable.js';

const hello = [new HumanMessage('Say hello.')];
const GREETING = 'Hello from the fake model, streamed word by word.';

describe('retries, timeout and fallback against the fake providers', () => {
  let openai: FakeLlm;
  let anthropic: FakeLlm;
  beforeAll(async () => {
    openai = await startFakeOpenAi({ key: 'sk-openai' });
    anthropic = await startFakeAnthropic({ key: 'sk-ant' });
  });
  afterAll(async () => {
    await openai.close();
    await anthropic.close();
  });
  beforeEach(() => {
    openai.requests.length = 0;
    anthropic.requests.length = 0;
  });

  const models = (openaiKey = 'sk-openai') =>
    createChatModels({
      models: [parseModelSpec('openai:gpt-4.1-mini'), parseModelSpec('anthropic:claude-sonnet-4-5')],
      env: {
        OPENAI_API_KEY: openaiKey,
        OPENAI_BASE_URL: `${openai.url}/v1`,
        ANTHROPIC_API_KEY: 'sk-ant',
        ANTHROPIC_BASE_URL: anthropic.url,
      },
    });
  const agentModel = (reports: RequestReport[], options: { timeoutMs?: number; openaiKey?: string } = {}) =>
    createAgentModel(models(options.openaiKey), {
      maxRetries: 2,
      timeoutMs: options.timeoutMs ?? 5000,
      backoff: { baseMs: 1, maxMs: 4 },
      onRequest: (r) => reports.push(r),
    });
  const statuses = (reports: RequestReport[]) => reports.map((r) => `${r.model} ${r.status}`);

  it('retries a 429 and answers from the same model', async () => {
    openai.fail(429);
    const reports: RequestReport[] = [];
    const reply = await agentModel(reports).invoke(hello);
    expect(reply.text).toBe(GREETING);
    expect(openai.requests).toHaveLength(2);
    expect(anthropic.requests).toHaveLength(0);
    expect(statuses(reports)).toEqual(['openai:gpt-4.1-mini retry', 'openai:gpt-4.1-mini success']);
  });

  it('retries a 409 conflict too', async () => {
    openai.fail(409);
    const reply = await agentModel([]).invoke(hello);
    expect(reply.text).toBe(GREETING);
    expect(openai.requests).toHaveLength(2);
  });

  it('falls back to the next model when the primary keeps answering 500', async () => {
    openai.fail(500, 500, 500);
    const reports: RequestReport[] = [];
    const reply = await agentModel(reports).invoke(hello);
    expect(reply.text).toBe(GREETING);
    expect(openai.requests).toHaveLength(3);
    expect(anthropic.requests).toHaveLength(1);
    expect(statuses(reports)).toEqual([
      'openai:gpt-4.1-mini retry',
      'openai:gpt-4.1-mini retry',
      'openai:gpt-4.1-mini fallback',
      'anthropic:claude-sonnet-4-5 success',
    ]);
  });

  it('surfaces a 401 at once: no retry, no fallback', async () => {
    const reports: RequestReport[] = [];
    await expect(agentModel(reports, { openaiKey: 'sk-wrong' }).invoke(hello)).rejects.toMatchObject({
      status: 401,
    });
    expect(openai.requests).toHaveLength(1);
    expect(openai.requests[0]!.auth).toBe('wrong');
    expect(anthropic.requests).toHaveLength(0);
    expect(statuses(reports)).toEqual(['openai:gpt-4.1-mini error']);
  });

  it('surfaces 400 and 404 at once as well', async () => {
    for (const status of [400, 404]) {
      openai.fail(status);
      await expect(agentModel([]).invoke(hello)).rejects.toMatchObject({ status });
    }
    expect(openai.requests).toHaveLength(2);
    expect(anthropic.requests).toHaveLength(0);
  });

  it('counts a request that hangs past the timeout as failed and retries it', async () => {
    openai.fail('hang');
    const reports: RequestReport[] = [];
    const reply = await agentModel(reports, { timeoutMs: 300 }).invoke(hello);
    expect(reply.text).toBe(GREETING);
    expect(openai.requests).toHaveLength(2);
    expect(statuses(reports)).toEqual(['openai:gpt-4.1-mini retry', 'openai:gpt-4.1-mini success']);
  });

  it('retries a refused connection and then falls back', async () => {
    const [, claude] = models();
    const [unreachable] = createChatModels({
      models: [parseModelSpec('openai-compatible:local-model')],
      // Port 1 on loopback: nothing listens, so the connection is refused at once.
      env: { LLM_BASE_URL: 'http://127.0.0.1:1/v1' },
    });
    const reports: RequestReport[] = [];
    const model = createAgentModel([unreachable!, claude!], {
      maxRetries: 1,
      timeoutMs: 5000,
      backoff: { baseMs: 1, maxMs: 2 },
      onRequest: (r) => reports.push(r),
    });
    expect((await model.invoke(hello)).text).toBe(GREETING);
    expect(statuses(reports)).toEqual([
      'openai-compatible:local-model retry',
      'openai-compatible:local-model fallback',
      'anthropic:claude-sonnet-4-5 success',
    ]);
  });

  it('gives up after the last model and surfaces its first failure', async () => {
    openai.fail(503, 503, 503);
    anthropic.fail(529, 529, 529);
    const reports: RequestReport[] = [];
    await expect(agentModel(reports).invoke(hello)).rejects.toMatchObject({ status: 503 });
    expect(openai.requests).toHaveLength(3);
    expect(anthropic.requests).toHaveLength(3);
    expect(reports.at(-1)!.status).toBe('error');
  });

  it('falls back in the graph, where the tool round trip continues on the next model', async () => {
    openai.fail(500, 500, 500);
    const graph = createAgentGraph({
      model: agentModel([]),
      tools: createTools(),
      checkpointer: new MemorySaver(),
      maxIterations: 4,
    });
    const result = await graph.invoke(
      { messages: [new HumanMessage('What is 17 * 23?')] },
      { configurable: { thread_id: 'fallback-graph' } },
    );
    expect(result.messages.at(-1)!.text).toBe('The product is 391.');
    // The first call fell back to Anthropic; the second went to OpenAI again and succeeded there.
    expect(anthropic.requests).toHaveLength(1);
    expect(openai.requests.at(-1)!.toolResult).toBe('391');
  });

  it('streams through the fallback chain too', async () => {
    openai.fail(502, 502, 502);
    const chunks: string[] = [];
    for await (const chunk of await agentModel([]).stream(hello)) chunks.push(chunk.text);
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.join('')).toBe(GREETING);
    expect(anthropic.requests).toHaveLength(1);
  });

  it('moves llm_requests_total, llm_request_duration_seconds and llm_tokens_total per model', async () => {
    const registry = new Registry();
    const metrics = createAgentMetrics(registry);
    const named = models();
    const model = createAgentModel(named, {
      maxRetries: 2,
      timeoutMs: 5000,
      backoff: { baseMs: 1, maxMs: 2 },
      onRequest: modelRequestRecorder(
        metrics,
        named.map((m) => m.name),
      ),
    });
    openai.fail(429);
    await model.invoke(hello);
    const text = await registry.metrics();
    const value = (pattern: string) =>
      Number(new RegExp(`^${pattern} (\\d+(?:\\.\\d+)?)$`, 'm').exec(text)?.[1]);
    expect(value('llm_requests_total\\{model="openai:gpt-4.1-mini",status="retry"\\}')).toBe(1);
    expect(value('llm_requests_total\\{model="openai:gpt-4.1-mini",status="success"\\}')).toBe(1);
    expect(value('llm_requests_total\\{model="anthropic:claude-sonnet-4-5",status="success"\\}')).toBe(0);
    expect(value('llm_request_duration_seconds_count\\{model="openai:gpt-4.1-mini"\\}')).toBe(2);
    // The fake reports 40 + n prompt tokens and 9 completion tokens for its n-th answer.
    expect(value('llm_tokens_total\\{type="input",model="openai:gpt-4.1-mini"\\}')).toBeGreaterThanOrEqual(
      40,
    );
    expect(value('llm_tokens_total\\{type="output",model="openai:gpt-4.1-mini"\\}')).toBe(9);
  });
});

describe('isRetryableModelError', () => {
  it('retries timeouts, network failures, 408, 409, 429 and 5xx, and nothing else', () => {
    const status = (s: number) => Object.assign(new Error(`status ${s}`), { status: s });
    for (const s of [408, 409, 429, 500, 502, 503, 529]) expect(isRetryableModelError(status(s))).toBe(true);
    for (const s of [400, 401, 403, 404, 422]) expect(isRetryableModelError(status(s))).toBe(false);
    expect(isRetryableModelError(new ModelTimeoutError('openai:x', 10))).toBe(true);
    expect(isRetryableModelError(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isRetryableModelError(new Error('wrapped', { cause: new TypeError('fetch failed') }))).toBe(true);
    expect(isRetryableModelError({ $metadata: { httpStatusCode: 429 }, name: 'ThrottlingException' })).toBe(
      true,
    );
    expect(isRetryableModelError(Object.assign(new Error('gone'), { status_code: 404 }))).toBe(false);
    expect(isRetryableModelError(new Error('the model does not support tools'))).toBe(false);
  });

  it('backs off exponentially with jitter, up to the ceiling', () => {
    const low = { baseMs: 100, maxMs: 1000, random: () => 0 };
    const high = { ...low, random: () => 0.999 };
    expect([0, 1, 2, 3, 4].map((n) => backoffDelay(n, low))).toEqual([50, 100, 200, 400, 500]);
    expect(backoffDelay(1, high)).toBeGreaterThan(199);
    expect(backoffDelay(1, high)).toBeLessThan(200);
    expect(backoffDelay(20, high)).toBeLessThan(1000);
  });
});
