import {
  type ChatRequest,
  type FakeLlmOptions,
  type FakeTurn,
  type Reply,
  sendJson,
  startFakeLlm,
  type Usage,
  type WireFormat,
  words,
} from './server.js';

const STATUSES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

type Part = { text?: string; functionCall?: unknown; functionResponse?: { name: string; response: unknown } };

function toolResultOf(contents: Array<{ parts?: Part[] }>): string | undefined {
  for (let i = contents.length - 1; i >= 0; i--) {
    const part = contents[i]!.parts?.find((p) => p.functionResponse);
    if (!part) continue;
    const response = part.functionResponse!.response as { result?: unknown } | undefined;
    return typeof response?.result === 'string' ? response.result : JSON.stringify(response);
  }
  return undefined;
}

const usageMetadata = (prompt: number, candidates: number) => ({
  promptTokenCount: prompt,
  candidatesTokenCount: candidates,
  totalTokenCount: prompt + candidates,
  promptTokensDetails: [{ modality: 'TEXT', tokenCount: prompt }],
});

/**
 * `generateContent` JSON, or `streamGenerateContent?alt=sse`: one candidate per event with
 * cumulative usage, `functionCall` parts whole (as Gemini sends them), `finishReason` last.
 */
function answer(res: Reply, turn: FakeTurn, request: ChatRequest, usage: Usage) {
  const modelVersion = request.model ?? 'gemini-2.5-flash';
  const responseId = `fake${Date.now().toString(36)}`;
  const partsOf = (t: FakeTurn): Part[] =>
    t.kind === 'text' ? [{ text: t.text }] : [{ functionCall: { name: t.name, args: t.args } }];
  if (!request.stream) {
    return sendJson(res, 200, {
      candidates: [{ content: { parts: partsOf(turn), role: 'model' }, finishReason: 'STOP', index: 0 }],
      usageMetadata: usageMetadata(usage.input, usage.output),
      modelVersion,
      responseId,
    });
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const events: Part[][] =
    turn.kind === 'text' ? words(turn.text).map((w) => [{ text: w }]) : [partsOf(turn)];
  events.forEach((parts, i) => {
    const last = i === events.length - 1;
    const produced = last ? usage.output : Math.floor((usage.output * (i + 1)) / events.length);
    const candidate = {
      content: { parts, role: 'model' },
      index: 0,
      ...(last ? { finishReason: 'STOP' } : {}),
    };
    res.write(
      `data: ${JSON.stringify({ candidates: [candidate], usageMetadata: usageMetadata(usage.input, produced), modelVersion, responseId })}\r\n\r\n`,
    );
  });
  res.end();
}

/** The Generative Language API: `POST /v1beta/models/<model>:generateContent` and `:streamGenerateContent?alt=sse`. */
export const geminiFormat: WireFormat = {
  route(method, url) {
    const m = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(url.pathname);
    if (method !== 'POST' || !m) return undefined;
    const stream = m[2] === 'streamGenerateContent';
    if (stream && url.searchParams.get('alt') !== 'sse') return undefined;
    return { model: decodeURIComponent(m[1]!), stream };
  },
  parse(body, route) {
    const b = JSON.parse(body.toString('utf8'));
    const declarations = (b.tools ?? []).flatMap((t: { functionDeclarations?: Array<{ name: string }> }) =>
      (t.functionDeclarations ?? []).map((d) => d.name),
    );
    return {
      model: route.model,
      stream: route.stream === true,
      tools: declarations,
      toolResult: toolResultOf(b.contents ?? []),
      body: b,
    };
  },
  credential: (headers) =>
    typeof headers['x-goog-api-key'] === 'string' ? headers['x-goog-api-key'] : undefined,
  answer,
  error(res, status) {
    const s = STATUSES[status] ?? 'UNAVAILABLE';
    sendJson(res, status, { error: { code: status, message: `fake ${s.toLowerCase()}`, status: s } });
  },
};

/** A fake Gemini API; its `url` is `GOOGLE_GENAI_BASE_URL`. */
export const startFakeGemini = (options?: FakeLlmOptions) => startFakeLlm(geminiFormat, options);
