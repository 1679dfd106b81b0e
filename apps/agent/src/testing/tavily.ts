import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

/** One request the fake Tavily API received. */
export interface TavilyRequest {
  method: string | undefined;
  path: string | undefined;
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: the body is what assertions examine
  body: any;
}

/** A `POST /search` answer as Tavily sends it (recorded shape: results with score, raw_content, request_id). */
export function tavilySearchResponse(
  query: string,
  results: Array<{ title: string; url: string; content: string }>,
) {
  return {
    query,
    follow_up_questions: null,
    answer: null,
    images: [],
    results: results.map((r, i) => ({ ...r, score: 0.9 - i * 0.05, raw_content: null })),
    response_time: '1.21',
    request_id: '5c0a9f0e-2a7b-4a57-9a0e-3f1f3c5b8d21',
  };
}

export interface FakeTavily {
  /** What to give the client's `apiBaseUrl` (`TAVILY_BASE_URL`). */
  url: string;
  requests: TavilyRequest[];
  /** The next answers, in order; the last one repeats. `hang` never answers. */
  reply: Array<{ status: number; body: unknown } | 'hang'>;
  close(): Promise<void>;
}

/** Tavily's search API on 127.0.0.1, answering with recorded responses and keeping every request. */
export async function startFakeTavily(): Promise<FakeTavily> {
  const requests: TavilyRequest[] = [];
  const fake: Omit<FakeTavily, 'url' | 'close'> = { requests, reply: [] };
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      requests.push({
        method: req.method,
        path: req.url,
        headers: req.headers,
        body: JSON.parse(text || 'null'),
      });
      const next = fake.reply.length > 1 ? fake.reply.shift() : fake.reply[0];
      if (next === undefined || next === 'hang') return;
      res.writeHead(next.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(next.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
