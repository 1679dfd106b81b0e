import { Readable } from 'node:stream';
import type { Request as ExpressRequest, Response as ExpressResponse } from 'express';

/**
 * The SDK's HTTP entry is web-standard (`fetch(Request) → Response`). These two functions carry an
 * Express exchange across: the body is not copied, because express.json() has already parsed it
 * and the handler takes it as `parsedBody`.
 */
export function toWebRequest(req: ExpressRequest, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  const url = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`;
  return new Request(url, { method: req.method, headers, signal });
}

/** Writes a web `Response` (JSON or an SSE stream) to the Express response, ending it when done. */
export async function sendWebResponse(res: ExpressResponse, response: Response): Promise<void> {
  res.status(response.status);
  response.headers.forEach((value, name) => {
    res.setHeader(name, value);
  });
  if (!response.body) {
    res.end();
    return;
  }
  // A plain JSON answer is complete already: write it in one go instead of piping a stream.
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
    res.end(Buffer.from(await response.arrayBuffer()));
    return;
  }
  res.flushHeaders();
  const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
  await new Promise<void>((resolve) => {
    // A client that goes away ends the stream; the SDK tears the exchange down on cancel.
    res.once('close', () => {
      body.destroy();
      resolve();
    });
    body.once('error', () => res.end());
    body.pipe(res);
  });
}

/** An abort signal that fires when the client disconnects before the response is complete. */
export function disconnectSignal(res: ExpressResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}
