import type { IncomingMessage } from 'node:http';
import {
  type ChatRequest,
  type FakeLlmOptions,
  type FakeTurn,
  pieces,
  type Reply,
  sendJson,
  sse,
  startFakeLlm,
  type Usage,
  type WireFormat,
  words,
} from './server.js';

// biome-ignore lint/suspicious/noExplicitAny: OpenAI request bodies as sent
type Body = any;

const ERRORS: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: 'invalid_request_error', code: null, message: 'Invalid request.' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' },
  404: { type: 'invalid_request_error', code: 'model_not_found', message: 'The model does not exist.' },
  429: { type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached for requests.' },
};

function readChat(body: Buffer) {
  const b: Body = JSON.parse(body.toString('utf8'));
  const tool = [...(b.messages ?? [])].reverse().find((m: { role: string }) => m.role === 'tool');
  return {
    model: b.model as string | undefined,
    stream: b.stream === true,
    tools: (b.tools ?? []).map((t: { function: { name: string } }) => t.function.name),
    toolResult: tool ? String(tool.content) : undefined,
    body: b,
  };
}

const usageOf = (u: Usage) => ({
  prompt_tokens: u.input,
  completion_tokens: u.output,
  total_tokens: u.input + u.output,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
});

/** A chat completion, or its `chat.completion.chunk` stream: tool arguments spread over several deltas, a usage chunk, `[DONE]`. */
function answer(res: Reply, turn: FakeTurn, request: ChatRequest, usage: Usage) {
  const id = `chatcmpl-fake${Date.now().toString(36)}`;
  const head = {
    id,
    created: Math.floor(Date.now() / 1000),
    model: request.model ?? 'gpt-4.1-mini',
    system_fingerprint: 'fp_fake',
  };
  const finish = turn.kind === 'tool' ? 'tool_calls' : 'stop';
  const args = turn.kind === 'tool' ? JSON.stringify(turn.args) : '';
  if (!request.stream) {
    const message =
      turn.kind === 'text'
        ? { role: 'assistant', content: turn.text, refusal: null }
        : {
            role: 'assistant',
            content: null,
            refusal: null,
            tool_calls: [{ id: turn.id, type: 'function', function: { name: turn.name, arguments: args } }],
          };
    return sendJson(res, 200, {
      ...head,
      object: 'chat.completion',
      choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
      usage: usageOf(usage),
    });
  }
  const out = sse(res);
  const chunk = (delta: unknown, finish_reason: string | null = null) =>
    out.event({
      ...head,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta, logprobs: null, finish_reason }],
    });
  if (turn.kind === 'text') {
    chunk({ role: 'assistant', content: '', refusal: null });
    for (const w of words(turn.text)) chunk({ content: w });
  } else {
    chunk({
      role: 'assistant',
      content: null,
      tool_calls: [{ index: 0, id: turn.id, type: 'function', function: { name: turn.name, arguments: '' } }],
      refusal: null,
    });
    for (const p of pieces(args)) chunk({ tool_calls: [{ index: 0, function: { arguments: p } }] });
  }
  chunk({}, finish);
  if (request.body.stream_options?.include_usage)
    out.event({ ...head, object: 'chat.completion.chunk', choices: [], usage: usageOf(usage) });
  out.event('[DONE]');
  out.end();
}

function error(res: Reply, status: number) {
  const e = ERRORS[status] ?? {
    type: 'server_error',
    code: null,
    message: 'The server had an error processing your request.',
  };
  sendJson(
    res,
    status,
    { error: { message: e.message, type: e.type, param: null, code: e.code } },
    {
      'x-request-id': 'req_fake',
    },
  );
}

const bearer = (headers: IncomingMessage['headers']) => headers.authorization?.replace(/^Bearer /, '');

/** OpenAI's `POST /v1/chat/completions` (also what vLLM and LiteLLM serve). */
export const openAiFormat: WireFormat = {
  route: (method, url) => (method === 'POST' && url.pathname === '/v1/chat/completions' ? {} : undefined),
  parse: (body) => readChat(body),
  credential: bearer,
  answer,
  error,
};

/** Azure OpenAI: the same bodies under `/openai/deployments/<name>/chat/completions?api-version=…`, key in `api-key`. */
export const azureOpenAiFormat: WireFormat = {
  route(method, url) {
    const m = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/.exec(url.pathname);
    if (method !== 'POST' || !m || !url.searchParams.get('api-version')) return undefined;
    return { model: decodeURIComponent(m[1]!) };
  },
  parse: (body, route) => ({ ...readChat(body), model: route.model }),
  credential: (headers) => (typeof headers['api-key'] === 'string' ? headers['api-key'] : undefined),
  answer,
  error,
};

/** A fake OpenAI; its `url` plus `/v1` is the client's base URL. */
export const startFakeOpenAi = (options?: FakeLlmOptions) => startFakeLlm(openAiFormat, options);
/** A fake Azure OpenAI resource; its `url` is `AZURE_OPENAI_ENDPOINT`. */
export const startFakeAzureOpenAi = (options?: FakeLlmOptions) => startFakeLlm(azureOpenAiFormat, options);
