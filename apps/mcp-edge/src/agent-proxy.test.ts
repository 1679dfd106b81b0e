import { createServer, type IncomingMessage, type Server } from 'node:http';
import { claimsOf } from './testing/fakes.js';
import { type EdgeUnderTest, PUBLIC_URL, startEdge } from './testing/harness.js';

/** An upstream standing in for the agent: it records what reached it and answers as told. */
async function startUpstream() {
  const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];
  const state = { seen, disconnected: 0 };
  const server: Server = createServer(async (req, res) => {
    let body = '';
    try {
      for await (const chunk of req) body += chunk;
    } catch {
      // The edge hung up mid-body (a body over its limit): nothing to answer.
      return;
    }
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    if (req.url?.startsWith('/threads/t1/runs/stream')) {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'content-location': '/threads/t1/runs/r1',
        location: '/threads/t1/runs/r1/stream',
        'set-cookie': 'upstream=secret',
      });
      res.write('event: metadata\ndata: {"run_id":"r1"}\n\n');
      // The next event comes only when the caller has seen the first: proof that nothing buffers.
      const timer = setInterval(() => res.write(': keep-alive\n\n'), 50);
      req.on('close', () => clearInterval(timer));
      res.on('close', () => {
        clearInterval(timer);
        if (!res.writableFinished) state.disconnected += 1;
      });
      return;
    }
    res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, path: req.url }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { state, url, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let upstream: Awaited<ReturnType<typeof startUpstream>>;
let edge: EdgeUnderTest;
beforeAll(async () => {
  upstream = await startUpstream();
  edge = await startEdge({ agentUrl: upstream.url });
});
afterAll(async () => {
  await edge.close();
  await upstream.close();
});

const call = (path: string, init: RequestInit = {}, token: string | null = edge.token()) =>
  fetch(`${edge.url}/agent${path}`, {
    ...init,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers },
  });

describe('the agent API under /agent', () => {
  it('asks for a token with the same challenge as /mcp', async () => {
    const res = await call('/threads/search', { method: 'POST' }, null);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain(
      `resource_metadata="${PUBLIC_URL}/.well-known/oauth-protected-resource/mcp"`,
    );
    expect(upstream.state.seen).toHaveLength(0);
  });

  it('forwards with an exchanged agent token and no caller credentials or cookies', async () => {
    const user = edge.token();
    const res = await call(
      '/threads/search?limit=2',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: 'session=abc', 'x-custom': 'no' },
        body: JSON.stringify({ metadata: { a: 1 } }),
      },
      user,
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, path: '/threads/search?limit=2' });
    const got = upstream.state.seen.at(-1)!;
    expect(got.method).toBe('POST');
    expect(got.body).toBe('{"metadata":{"a":1}}');
    expect(got.headers.cookie).toBeUndefined();
    expect(got.headers['x-custom']).toBeUndefined();
    const forwarded = got.headers.authorization?.replace(/^Bearer /, '') ?? '';
    expect(forwarded).not.toBe(user);
    expect(claimsOf(forwarded)).toMatchObject({ aud: 'http://localhost:4002', act: { sub: 'mcp-edge' } });
  });

  it('passes statuses through', async () => {
    expect((await call('/missing')).status).toBe(404);
  });

  it('streams events as they come, with the headers the SDK reconnects by, and hangs up upstream with the caller', async () => {
    const controller = new AbortController();
    const res = await call('/threads/t1/runs/stream', {
      method: 'POST',
      body: '{}',
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(res.headers.get('content-location')).toBe('/threads/t1/runs/r1');
    expect(res.headers.get('location')).toBe('/threads/t1/runs/r1/stream');
    expect(res.headers.get('set-cookie')).toBeNull();
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('event: metadata');
    controller.abort();
    const deadline = Date.now() + 5000;
    while (upstream.state.disconnected === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 25));
    expect(upstream.state.disconnected).toBe(1);
  });

  it('refuses a body over the limit with 413 without passing it all on', async () => {
    const res = await call('/threads', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"a":"${'x'.repeat(200 * 1024)}"}`,
    });
    expect(res.status).toBe(413);
  });
});
