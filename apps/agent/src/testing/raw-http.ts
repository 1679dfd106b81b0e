import { connect } from 'node:net';

export interface RawRequest {
  method: string;
  /** Sent as written: `fetch` would resolve `..` and re-encode what a hostile client sends as is. */
  path: string;
  /** Header lines as sent, bytes and all; `Host`, `Connection: close` and `Content-Length` are added. */
  headers?: Array<[string, string | Buffer]>;
  body?: string | Buffer;
}

export interface RawReply {
  status: number;
  headers: Record<string, string>;
  /** The body as received (chunk framing included when the answer was chunked). */
  body: string;
}

/** Throws when no complete answer arrives in time: a request that hangs the service is a finding. */
const ANSWER_WITHIN_MS = 10_000;

/** One HTTP/1.1 request over a fresh socket, with exactly the bytes given, read until the server closes. */
export function rawRequest(baseUrl: string, request: RawRequest): Promise<RawReply> {
  const { hostname, port } = new URL(baseUrl);
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  const head: Buffer[] = [
    Buffer.from(`${request.method} ${request.path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n`),
  ];
  for (const [name, value] of request.headers ?? [])
    head.push(Buffer.from(`${name}: `), Buffer.from(value), Buffer.from('\r\n'));
  head.push(Buffer.from(`Connection: close\r\n${body ? `Content-Length: ${body.length}\r\n` : ''}\r\n`));
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const received: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${ANSWER_WITHIN_MS} ms to ${request.method} ${request.path}`));
    }, ANSWER_WITHIN_MS);
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(received).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const lines = (split < 0 ? text : text.slice(0, split)).split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0);
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status, headers, body: split < 0 ? '' : text.slice(split + 4) });
    });
    socket.write(Buffer.concat(body ? [...head, body] : head));
  });
}
