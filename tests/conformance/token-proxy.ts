import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TokenProxy {
  /** The proxy's URL for `path` (the MCP endpoint's path on the target). */
  url(path: string): string;
  /** How many requests carried each `MCP-Protocol-Version` header value, since the last reset. */
  versions(): Record<string, number>;
  resetVersions(): void;
  close(): Promise<void>;
}

export interface TokenProxyOptions {
  /** The bearer token to add, read on every request (so a refreshed token is picked up). */
  token: () => string;
  /**
   * Offer this revision in every `initialize` instead of the client's own, so a client that always
   * asks for its newest revision runs at an older one's wire (the server answers with the offered
   * revision and the client keeps to it).
   */
  initializeVersion?: () => string | undefined;
}

const MAX_PINNED_BODY = 1024 * 1024;

/** The body with `initialize`'s protocolVersion replaced, or the body unchanged when it is not one. */
function pinned(body: Buffer, version: string): Buffer {
  try {
    const message = JSON.parse(body.toString('utf8')) as {
      method?: unknown;
      params?: Record<string, unknown>;
    };
    if (message.method !== 'initialize' || typeof message.params !== 'object' || message.params === null)
      return body;
    message.params.protocolVersion = version;
    return Buffer.from(JSON.stringify(message));
  } catch {
    return body;
  }
}

/**
 * A loopback HTTP proxy that adds `Authorization: Bearer <token>` to every request and passes
 * everything else through unchanged, streams included, so a client that cannot sign in (the
 * conformance suite) talks to the protected edge. Host, Origin and every other header arrive as the
 * client sent them, so the edge's DNS-rebinding checks see the client's own values.
 */
export async function startTokenProxy(target: string, options: TokenProxyOptions): Promise<TokenProxy> {
  const upstream = new URL(target);
  let seen: Record<string, number> = {};

  function forward(req: IncomingMessage, res: ServerResponse, body?: Buffer): void {
    const headers = { ...req.headers, authorization: `Bearer ${options.token()}` };
    if (body) {
      headers['content-length'] = String(body.length);
      delete headers['transfer-encoding'];
    }
    const out = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    out.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${err.message}`);
    });
    // A client that goes away ends the upstream request too (an SSE stream would stay open).
    res.on('close', () => out.destroy());
    if (body) out.end(body);
    else req.pipe(out);
  }

  const server: Server = createServer((req, res) => {
    const version = req.headers['mcp-protocol-version'];
    if (typeof version === 'string') seen[version] = (seen[version] ?? 0) + 1;
    const pin = options.initializeVersion?.();
    if (!pin || req.method !== 'POST') return forward(req, res);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_PINNED_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_PINNED_BODY) {
        res.writeHead(413, { 'content-type': 'text/plain' }).end('proxy: request body too large');
        return;
      }
      forward(req, res, pinned(Buffer.concat(chunks), pin));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    versions: () => ({ ...seen }),
    resetVersions: () => {
      seen = {};
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
