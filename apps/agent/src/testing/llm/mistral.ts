import {
  type ChatRequest,
  type FakeLlmOptions,
  type FakeTurn,
  type Reply,
  sendJson,
  sse,
  startFakeLlm,
  type Usage,
  type WireFormat,
  words,
} from './server.js';

const usageOf = (u: Usage) => ({
  prompt_tokens: u.input,
  completion_tokens: u.output,
  total_tokens: u.input + u.output,
});

/**
 * Chat completions JSON, or SSE chunks as Mistral sends them: a tool call whole in one delta,
 * usage in the last chunk beside `finish_reason`, then `[DONE]`.
 */
function answer(res: Reply, turn: FakeTurn, request: ChatRequest, usage: Usage) {
  const head = {
    id: `cmpl-fake${Date.now().toString(36)}`,
    created: Math.floor(Date.now() / 1000),
    model: request.model ?? 'mistral-large-latest',
  };
  const finish = turn.kind === 'tool' ? 'tool_calls' : 'stop';
  const calls =
    turn.kind === 'tool'
      ? [
          {
            id: turn.id,
            type: 'function',
            function: { name: turn.name, arguments: JSON.stringify(turn.args) },
            index: 0,
          },
        ]
      : undefined;
  if (!request.stream) {
    const message =
      turn.kind === 'text'
        ? { role: 'assistant', content: turn.text, tool_calls: null, prefix: false }
        : { role: 'assistant', content: '', tool_calls: calls, prefix: false };
    return sendJson(res, 200, {
      ...head,
      object: 'chat.completion',
      choices: [{ index: 0, message, finish_reason: finish }],
      usage: usageOf(usage),
    });
  }
  const out = sse(res);
  const chunk = (delta: unknown, finish_reason: string | null = null, extra = {}) =>
    out.event({
      ...head,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta, finish_reason }],
      ...extra,
    });
  chunk({ role: 'assistant', content: '' });
  if (turn.kind === 'text') for (const w of words(turn.text)) chunk({ content: w });
  else chunk({ tool_calls: calls });
  chunk({ content: '' }, finish, { usage: usageOf(usage) });
  out.event('[DONE]');
  out.end();
}

/** Mistral's `POST /v1/chat/completions`, bearer key. */
export const mistralFormat: WireFormat = {
  route: (method, url) => (method === 'POST' && url.pathname === '/v1/chat/completions' ? {} : undefined),
  parse(body) {
    const b = JSON.parse(body.toString('utf8'));
    const tool = [...(b.messages ?? [])].reverse().find((m: { role: string }) => m.role === 'tool');
    return {
      model: b.model,
      stream: b.stream === true,
      tools: (b.tools ?? []).map((t: { function: { name: string } }) => t.function.name),
      toolResult: tool
        ? typeof tool.content === 'string'
          ? tool.content
          : JSON.stringify(tool.content)
        : undefined,
      body: b,
    };
  },
  credential: (headers) => headers.authorization?.replace(/^Bearer /, ''),
  answer,
  error(res, status) {
    if (status === 401) return sendJson(res, 401, { message: 'Unauthorized', request_id: 'fake' });
    sendJson(res, status, {
      object: 'error',
      message: status === 429 ? 'Requests rate limit exceeded' : 'Service unavailable.',
      type: status === 429 ? 'rate_limited' : 'internal_server_error',
      param: null,
      code: String(status),
    });
  },
};

/** A fake Mistral API; its `url` is `MISTRAL_SERVER_URL`. */
export const startFakeMistral = (options?: FakeLlmOptions) => startFakeLlm(mistralFormat, options);
