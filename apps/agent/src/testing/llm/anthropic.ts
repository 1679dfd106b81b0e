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

const ERRORS: Record<number, [string, string]> = {
  400: ['invalid_request_error', 'Invalid request.'],
  401: ['authentication_error', 'invalid x-api-key'],
  403: ['permission_error', 'Your API key does not have permission to use the specified resource.'],
  404: ['not_found_error', 'model: not found'],
  429: ['rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit.'],
  529: ['overloaded_error', 'Overloaded'],
};

type Block = { type: string; tool_use_id?: string; content?: unknown; text?: string };

/** The text of the latest `tool_result` block in the user turns. */
function toolResultOf(messages: Array<{ role: string; content: string | Block[] }>): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const content = messages[i]!.content;
    if (!Array.isArray(content)) continue;
    const block = content.find((b) => b.type === 'tool_result');
    if (!block) continue;
    if (typeof block.content === 'string') return block.content;
    return (block.content as Block[] | undefined)?.map((b) => b.text ?? '').join('');
  }
  return undefined;
}

/** A whole message, or the Messages SSE stream: message_start, content blocks with their deltas, message_delta with usage, message_stop. */
function answer(res: Reply, turn: FakeTurn, request: ChatRequest, usage: Usage) {
  const id = `msg_fake${Date.now().toString(36)}`;
  const model = request.model ?? 'claude-sonnet-4-5';
  const stop = turn.kind === 'tool' ? 'tool_use' : 'end_turn';
  if (!request.stream) {
    const content =
      turn.kind === 'text'
        ? [{ type: 'text', text: turn.text }]
        : [{ type: 'tool_use', id: turn.id, name: turn.name, input: turn.args }];
    return sendJson(res, 200, {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content,
      stop_reason: stop,
      stop_sequence: null,
      usage: { input_tokens: usage.input, output_tokens: usage.output },
    });
  }
  const out = sse(res);
  const ev = (name: string, data: Record<string, unknown>) => out.event({ type: name, ...data }, name);
  ev('message_start', {
    message: {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: usage.input,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: 1,
      },
    },
  });
  if (turn.kind === 'text') {
    ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    ev('ping', {});
    for (const w of words(turn.text))
      ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: w } });
  } else {
    ev('content_block_start', {
      index: 0,
      content_block: { type: 'tool_use', id: turn.id, name: turn.name, input: {} },
    });
    ev('ping', {});
    ev('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: '' } });
    for (const p of pieces(JSON.stringify(turn.args)))
      ev('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: p } });
  }
  ev('content_block_stop', { index: 0 });
  ev('message_delta', {
    delta: { stop_reason: stop, stop_sequence: null },
    usage: { output_tokens: usage.output },
  });
  ev('message_stop', {});
  out.end();
}

/** Anthropic's `POST /v1/messages`, key in `x-api-key`. */
export const anthropicFormat: WireFormat = {
  route: (method, url) => (method === 'POST' && url.pathname === '/v1/messages' ? {} : undefined),
  parse(body) {
    const b = JSON.parse(body.toString('utf8'));
    return {
      model: b.model,
      stream: b.stream === true,
      tools: (b.tools ?? []).map((t: { name: string }) => t.name),
      toolResult: toolResultOf(b.messages ?? []),
      body: b,
    };
  },
  credential: (headers) => (typeof headers['x-api-key'] === 'string' ? headers['x-api-key'] : undefined),
  answer,
  error(res, status) {
    const [type, message] = ERRORS[status] ?? ['api_error', 'Internal server error'];
    sendJson(res, status, { type: 'error', error: { type, message } }, { 'request-id': 'req_fake' });
  },
};

/** A fake Anthropic API; its `url` is `ANTHROPIC_BASE_URL`. */
export const startFakeAnthropic = (options?: FakeLlmOptions) => startFakeLlm(anthropicFormat, options);
