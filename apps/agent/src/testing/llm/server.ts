import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { createServer as createHttp2Server, type Http2ServerRequest } from 'node:http2';
import type { Socket } from 'node:net';

/** What the formats write to: an HTTP/1.1 or HTTP/2 response. */
export interface Reply {
  writeHead(status: number, headers: Record<string, string>): unknown;
  write(chunk: string | Uint8Array): unknown;
  end(chunk: string): unknown;
  end(): unknown;
}

/** One turn of the fake model: an answer in words, or a call of one tool. */
export type FakeTurn =
  | { kind: 'text'; text: string }
  | { kind: 'tool'; id: string; name: string; args: Record<string, unknown> };

/** What a wire format reads out of a chat request. */
export interface ChatRequest {
  model: string | undefined;
  stream: boolean;
  /** Names of the tools the client offered. */
  tools: string[];
  /** Content of the latest tool result in the conversation, if any. */
  toolResult: string | undefined;
  /** The whole request body as the client sent it (JSON). */
  // biome-ignore lint/suspicious/noExplicitAny: the tests examine the provider's own request shape
  body: any;
}

/** What a test can see of a request; the credential itself is never kept. */
export interface RecordedRequest extends ChatRequest {
  method: string;
  /** Path and query. */
  url: string;
  /** Whether the expected credential arrived: `ok`, `missing` or `wrong`. */
  auth: 'ok' | 'missing' | 'wrong';
  headers: Record<string, string>;
}

/** A provider's HTTP dialect: where chat requests go, how they read, how answers and errors look. */
export interface WireFormat {
  /** `h2c` for clients that speak HTTP/2 (the AWS SDK's event streams); HTTP/1.1 otherwise. */
  transport?: 'h2c';
  /** For a chat route, what the URL says (a model in the path, a stream flag); otherwise undefined. */
  route(method: string, url: URL): { model?: string; stream?: boolean } | undefined;
  parse(
    body: Buffer,
    route: { model?: string; stream?: boolean },
  ): Omit<ChatRequest, 'body'> & { body: unknown };
  /** The credential as sent, from the headers this provider uses; undefined when absent. */
  credential(headers: IncomingHttpHeaders): string | undefined;
  /** Answers `turn`, streamed or whole as the request asked; `usage` is what the provider reports. */
  answer(res: Reply, turn: FakeTurn, request: ChatRequest, usage: Usage): void;
  /** An error response the way this provider sends one for `status`. */
  error(res: Reply, status: number): void;
}

export interface Usage {
  input: number;
  output: number;
}

/** A scripted failure: an HTTP status answered instead of the turn, or a request left hanging. */
export type Failure = number | 'hang';

export interface FakeLlmOptions {
  /** The credential the fake accepts; anything else is answered 401 as the provider would. */
  key?: string;
  /** Failures answered to the first requests, in order, before the script takes over. */
  failures?: Failure[];
  /** What to answer; by default `calculatorScript`. */
  script?: (request: ChatRequest, index: number) => FakeTurn;
}

export interface FakeLlm {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  requests: RecordedRequest[];
  /** Queues more failures for the next requests. */
  fail(...failures: Failure[]): void;
  close(): Promise<void>;
}

const SECRET_HEADERS = new Set([
  'authorization',
  'x-api-key',
  'api-key',
  'x-goog-api-key',
  'x-amz-security-token',
]);

/**
 * The script most tests use: with a tool result in the conversation, say what it was; with the
 * calculator offered, ask it for 17 * 23; otherwise greet in a few words.
 */
export function calculatorScript(request: ChatRequest): FakeTurn {
  if (request.toolResult !== undefined)
    return { kind: 'text', text: `The product is ${request.toolResult}.` };
  if (request.tools.includes('calculator'))
    return { kind: 'tool', id: 'call_fake_1', name: 'calculator', args: { expression: '17 * 23' } };
  return { kind: 'text', text: 'Hello from the fake model, streamed word by word.' };
}

/** Words with their following space, so concatenated chunks give the text back exactly. */
export function words(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [''];
}

/** Pieces of a JSON string of about `size` characters: tool arguments as providers stream them. */
export function pieces(json: string, size = 6): string[] {
  const out: string[] = [];
  for (let i = 0; i < json.length; i += size) out.push(json.slice(i, i + size));
  return out;
}

export function sendJson(res: Reply, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Starts an SSE response; each `event` call writes one event (with an `event:` line when named). */
export function sse(res: Reply) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  return {
    event(data: unknown, name?: string) {
      res.write(
        `${name ? `event: ${name}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`,
      );
    },
    end: () => res.end(),
  };
}

function read(req: IncomingMessage | Http2ServerRequest): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

/**
 * A recorded-response fake of one provider on 127.0.0.1: it serves the real client library's
 * requests in the provider's wire format, checks the credential, and records what it received.
 */
export async function startFakeLlm(format: WireFormat, options: FakeLlmOptions = {}): Promise<FakeLlm> {
  const requests: RecordedRequest[] = [];
  const failures = [...(options.failures ?? [])];
  const script = options.script ?? calculatorScript;
  const hanging = new Set<{ destroy(): void }>();
  let served = 0;

  const handle = async (
    req: IncomingMessage | Http2ServerRequest,
    res: Reply & { destroy(): void; on(event: 'close', listener: () => void): unknown },
  ) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = format.route(req.method ?? 'GET', url);
    const raw = await read(req);
    if (!route) return sendJson(res, 404, { error: `no route ${req.method} ${url.pathname}` });
    const parsed = format.parse(raw, route);
    const sent = format.credential(req.headers);
    const auth =
      sent === undefined ? 'missing' : options.key === undefined || sent === options.key ? 'ok' : 'wrong';
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      headers[k] = SECRET_HEADERS.has(k) ? '<redacted>' : String(v);
    const request: RecordedRequest = {
      ...parsed,
      method: req.method ?? '',
      url: req.url ?? '',
      auth,
      headers,
    };
    requests.push(request);
    if (auth !== 'ok') return format.error(res, 401);
    const failure = failures.shift();
    if (failure === 'hang') {
      const stream = { destroy: () => res.destroy() };
      hanging.add(stream);
      res.on('close', () => hanging.delete(stream));
      return;
    }
    if (failure !== undefined) return format.error(res, failure);
    const index = served++;
    const turn = script(request, index);
    format.answer(res, turn, request, { input: 40 + index, output: 9 });
  };
  const sockets = new Set<Socket>();
  const server =
    format.transport === 'h2c'
      ? createHttp2Server((req, res) => void handle(req, res))
      : createServer((req, res) => void handle(req, res));
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    fail: (...more) => failures.push(...more),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
