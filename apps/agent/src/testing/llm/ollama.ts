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

const ERRORS: Record<number, string> = {
  400: 'invalid request',
  404: 'model "{model}" not found, try pulling it first',
  429: 'server busy, please try again.  maximum pending requests exceeded',
};

/**
 * `/api/chat` NDJSON: one line per piece of content (a tool call arrives whole, with its
 * arguments as an object, as Ollama sends it), then the `done` line with the eval counts.
 */
function answer(res: Reply, turn: FakeTurn, request: ChatRequest, usage: Usage) {
  const model = request.model ?? 'llama3.1';
  const at = () => new Date().toISOString();
  const call = turn.kind === 'tool' ? [{ function: { name: turn.name, arguments: turn.args } }] : undefined;
  const done = {
    done_reason: 'stop',
    done: true,
    total_duration: 1_200_000,
    load_duration: 100_000,
    prompt_eval_count: usage.input,
    prompt_eval_duration: 500_000,
    eval_count: usage.output,
    eval_duration: 600_000,
  };
  if (!request.stream) {
    const message =
      turn.kind === 'text'
        ? { role: 'assistant', content: turn.text }
        : { role: 'assistant', content: '', tool_calls: call };
    return sendJson(res, 200, { model, created_at: at(), message, ...done });
  }
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const line = (x: unknown) => res.write(`${JSON.stringify(x)}\n`);
  if (turn.kind === 'text')
    for (const w of words(turn.text))
      line({ model, created_at: at(), message: { role: 'assistant', content: w }, done: false });
  else
    line({
      model,
      created_at: at(),
      message: { role: 'assistant', content: '', tool_calls: call },
      done: false,
    });
  line({ model, created_at: at(), message: { role: 'assistant', content: '' }, ...done });
  res.end();
}

/** Ollama's native `POST /api/chat` (no credential). */
export const ollamaFormat: WireFormat = {
  route: (method, url) => (method === 'POST' && url.pathname === '/api/chat' ? {} : undefined),
  parse(body) {
    const b = JSON.parse(body.toString('utf8'));
    const tool = [...(b.messages ?? [])].reverse().find((m: { role: string }) => m.role === 'tool');
    return {
      model: b.model,
      // Ollama streams unless told otherwise.
      stream: b.stream !== false,
      tools: (b.tools ?? []).map((t: { function: { name: string } }) => t.function.name),
      toolResult: tool ? String(tool.content) : undefined,
      body: b,
    };
  },
  credential: () => '',
  answer,
  error(res, status) {
    sendJson(res, status, {
      error: (ERRORS[status] ?? 'an error was encountered while running the model').replace('{model}', 'm'),
    });
  },
};

/** A fake Ollama server; its `url` is `OLLAMA_BASE_URL`. */
export const startFakeOllama = (options?: FakeLlmOptions) => startFakeLlm(ollamaFormat, options);
