import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/core/serde';
import {
  type ChatRequest,
  type FakeLlmOptions,
  type FakeTurn,
  pieces,
  type Reply,
  sendJson,
  startFakeLlm,
  type Usage,
  type WireFormat,
  words,
} from './server.js';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

const ERRORS: Record<number, [number, string]> = {
  400: [400, 'ValidationException'],
  // AWS answers a wrong key with 403 UnrecognizedClientException, not 401.
  401: [403, 'UnrecognizedClientException'],
  403: [403, 'AccessDeniedException'],
  404: [404, 'ResourceNotFoundException'],
  408: [408, 'ModelTimeoutException'],
  429: [429, 'ThrottlingException'],
  500: [500, 'InternalServerException'],
  503: [503, 'ServiceUnavailableException'],
};

type Block = {
  text?: string;
  toolResult?: { toolUseId: string; content?: Array<{ text?: string; json?: unknown }> };
};

function toolResultOf(messages: Array<{ content?: Block[] }>): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const block = messages[i]!.content?.find((b) => b.toolResult);
    if (block) return block.toolResult!.content?.map((c) => c.text ?? JSON.stringify(c.json)).join('');
  }
  return undefined;
}

/** One event-stream frame as Bedrock frames ConverseStream events (with its `p` padding field). */
function frame(eventType: string, payload: Record<string, unknown>): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: fromUtf8(JSON.stringify({ ...payload, p: 'abcdefghijklmnopqrstuvwxyzABCDEFGH' })),
  });
}

const usageOf = (u: Usage) => ({
  inputTokens: u.input,
  outputTokens: u.output,
  totalTokens: u.input + u.output,
});

/**
 * Converse JSON, or ConverseStream in AWS event-stream binary framing: messageStart,
 * contentBlockStart (with `toolUse` for a tool call), contentBlockDelta (`text` or
 * `toolUse.input` pieces), contentBlockStop, messageStop, metadata with usage.
 */
function answer(res: Reply, turn: FakeTurn, request: ChatRequest, usage: Usage) {
  const stopReason = turn.kind === 'tool' ? 'tool_use' : 'end_turn';
  const headers = { 'x-amzn-requestid': 'fake-request-id' };
  if (!request.stream) {
    const content =
      turn.kind === 'text'
        ? [{ text: turn.text }]
        : [{ toolUse: { toolUseId: turn.id, name: turn.name, input: turn.args } }];
    return sendJson(
      res,
      200,
      {
        output: { message: { role: 'assistant', content } },
        stopReason,
        usage: usageOf(usage),
        metrics: { latencyMs: 12 },
      },
      headers,
    );
  }
  res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', ...headers });
  const send = (type: string, payload: Record<string, unknown>) => res.write(frame(type, payload));
  send('messageStart', { role: 'assistant' });
  if (turn.kind === 'text') {
    for (const w of words(turn.text)) send('contentBlockDelta', { contentBlockIndex: 0, delta: { text: w } });
  } else {
    send('contentBlockStart', {
      contentBlockIndex: 0,
      start: { toolUse: { toolUseId: turn.id, name: turn.name } },
    });
    for (const p of pieces(JSON.stringify(turn.args)))
      send('contentBlockDelta', { contentBlockIndex: 0, delta: { toolUse: { input: p } } });
  }
  send('contentBlockStop', { contentBlockIndex: 0 });
  send('messageStop', { stopReason });
  send('metadata', { usage: usageOf(usage), metrics: { latencyMs: 12 } });
  res.end();
}

/** Bedrock runtime's `POST /model/<modelId>/converse` and `/converse-stream`, signed with SigV4. */
export const bedrockFormat: WireFormat = {
  transport: 'h2c',
  route(method, url) {
    const m = /^\/model\/([^/]+)\/(converse|converse-stream)$/.exec(url.pathname);
    if (method !== 'POST' || !m) return undefined;
    return { model: decodeURIComponent(m[1]!), stream: m[2] === 'converse-stream' };
  },
  parse(body, route) {
    const b = JSON.parse(body.toString('utf8'));
    return {
      model: route.model,
      stream: route.stream === true,
      tools: (b.toolConfig?.tools ?? []).map((t: { toolSpec: { name: string } }) => t.toolSpec.name),
      toolResult: toolResultOf(b.messages ?? []),
      body: b,
    };
  },
  // The access key id of the SigV4 credential scope; the secret never travels.
  credential: (headers) => /Credential=([^/]+)\//.exec(headers.authorization ?? '')?.[1],
  answer,
  error(res, status) {
    const [code, type] = ERRORS[status] ?? [500, 'InternalServerException'];
    sendJson(
      res,
      code,
      { message: `fake ${type}` },
      { 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` },
    );
  },
};

/** A fake Bedrock runtime; its `url` is `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`, its key the access key id. */
export const startFakeBedrock = (options?: FakeLlmOptions) => startFakeLlm(bedrockFormat, options);
