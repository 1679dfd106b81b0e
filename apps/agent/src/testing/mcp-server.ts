import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';

/** A real MCP server (SDK v2, Streamable HTTP) with two tools, for the agent's downstream tests. */
export interface TestMcpServer {
  url: string;
  port: number;
  /** Every `tools/call` it served, in order. */
  calls: Array<{ tool: string; args: Record<string, unknown> }>;
  /** The `Authorization` header of every HTTP request it received. */
  authorizations: Array<string | undefined>;
  close(): Promise<void>;
}

export interface TestMcpServerOptions {
  /** Listen on this port (0: any free one). */
  port?: number;
  /** When set, every request needs `Authorization: Bearer <accepts()>`; others get 401. */
  accepts?: () => string;
}

const read = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });

/**
 * Tools `search` ({query} → a line naming the query; `query: "fail"` answers with an error result,
 * `query: "huge"` with 200,000 characters)
 * and `slow` (never answers until the caller gives up), on 127.0.0.1.
 */
/** The stdio server script (`node <STDIO_MCP_SERVER>`): tool `echo`. */
export const STDIO_MCP_SERVER = join(__dirname, 'stdio-mcp-server.mjs');

export async function startTestMcpServer(options: TestMcpServerOptions = {}): Promise<TestMcpServer> {
  const state = {
    calls: [] as TestMcpServer['calls'],
    authorizations: [] as TestMcpServer['authorizations'],
  };
  const build = () => {
    const server = new McpServer({ name: 'test-docs', version: '1.0.0' }, { capabilities: { tools: {} } });
    server.registerTool(
      'search',
      {
        description: 'Searches the test documentation.',
        inputSchema: z.object({ query: z.string().describe('words to look for') }),
      },
      async ({ query }) => {
        state.calls.push({ tool: 'search', args: { query } });
        if (query === 'fail')
          return { isError: true, content: [{ type: 'text', text: 'the index is being rebuilt' }] };
        if (query === 'huge') return { content: [{ type: 'text', text: 'x'.repeat(200_000) }] };
        return { content: [{ type: 'text', text: `Found 1 page for "${query}": docs/${query}.md` }] };
      },
    );
    server.registerTool(
      'slow',
      { description: 'Takes as long as it takes.', inputSchema: z.object({}) },
      async (_args, ctx) => {
        state.calls.push({ tool: 'slow', args: {} });
        await new Promise<void>((resolve) => {
          if (ctx.mcpReq.signal.aborted) resolve();
          ctx.mcpReq.signal.addEventListener('abort', () => resolve(), { once: true });
        });
        return { content: [{ type: 'text', text: 'too late' }] };
      },
    );
    return server;
  };
  const handler = toNodeHandler(createMcpHandler(build, { legacy: 'stateless' }));
  const http: Server = createServer(async (req, res) => {
    state.authorizations.push(req.headers.authorization);
    if (options.accepts && req.headers.authorization !== `Bearer ${options.accepts()}`) {
      res.writeHead(401, {
        'www-authenticate': 'Bearer error="invalid_token"',
        'content-type': 'application/json',
      });
      res.end(JSON.stringify({ error: 'invalid_token' }));
      return;
    }
    const text = await read(req);
    await handler(req, res, text ? JSON.parse(text) : undefined);
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = http.address() as { port: number };
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/mcp`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  });
}

/** A port nothing listens on (taken from the OS, then released), for a server that is not up yet. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** An OAuth token endpoint for the client-credentials grant (Basic client authentication). */
export interface TestTokenEndpoint {
  url: string;
  /** The token it issued last. */
  current(): string;
  requests: Array<{ authorization: string | undefined; form: URLSearchParams }>;
  close(): Promise<void>;
}

export async function startTokenEndpoint(
  client: { id: string; secret: string },
  expiresIn = 3600,
): Promise<TestTokenEndpoint> {
  const requests: TestTokenEndpoint['requests'] = [];
  let issued = 0;
  // RFC 6749 §2.3.1: both halves of the Basic credentials are form-encoded.
  const authenticated = (header: string | undefined) => {
    if (!header?.startsWith('Basic ')) return false;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const unform = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return (
      unform(decoded.slice(0, colon)) === client.id && unform(decoded.slice(colon + 1)) === client.secret
    );
  };
  const http = createServer(async (req, res) => {
    const form = new URLSearchParams(await read(req));
    requests.push({ authorization: req.headers.authorization, form });
    res.setHeader('content-type', 'application/json');
    res.setHeader('cache-control', 'no-store');
    if (!authenticated(req.headers.authorization)) {
      res.writeHead(401, { 'www-authenticate': 'Basic' });
      res.end(JSON.stringify({ error: 'invalid_client' }));
      return;
    }
    if (form.get('grant_type') !== 'client_credentials') {
      res.writeHead(400);
      res.end(JSON.stringify({ error: 'unsupported_grant_type' }));
      return;
    }
    issued++;
    res.end(
      JSON.stringify({
        access_token: `token-${issued}`,
        token_type: 'Bearer',
        expires_in: expiresIn,
        scope: form.get('scope'),
      }),
    );
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/oauth/token`,
    current: () => `token-${issued}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

/**
 * A server of the older HTTP+SSE transport (protocol 2024-11-05; SDK v1): `GET <url>` opens the
 * event stream, messages are posted to the endpoint it announces, and a POST to `<url>` is a 405,
 * as such servers answer a Streamable HTTP client. One tool, `search`.
 */
export async function startLegacySseMcpServer(): Promise<{ url: string; close(): Promise<void> }> {
  const { McpServer: LegacyServer } = await import('@modelcontextprotocol/sdk/server/mcp.js');
  const { SSEServerTransport } = await import('@modelcontextprotocol/sdk/server/sse.js');
  const transports = new Map<string, InstanceType<typeof SSEServerTransport>>();
  const http = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/sse') {
      const server = new LegacyServer({ name: 'legacy-docs', version: '1.0.0' });
      server.registerTool(
        'search',
        { description: 'Searches the old documentation.', inputSchema: { query: z.string() } },
        async ({ query }) => ({ content: [{ type: 'text', text: `legacy result for "${query}"` }] }),
      );
      const transport = new SSEServerTransport('/messages', res);
      transports.set(transport.sessionId, transport);
      res.on('close', () => transports.delete(transport.sessionId));
      await server.connect(transport);
      return;
    }
    const transport = transports.get(url.searchParams.get('sessionId') ?? '');
    if (req.method === 'POST' && url.pathname === '/messages' && transport) {
      await transport.handlePostMessage(req, res);
      return;
    }
    res.writeHead(405, { allow: 'GET' }).end();
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/sse`,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
