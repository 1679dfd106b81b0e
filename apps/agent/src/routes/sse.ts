import type { Response } from 'express';

/**
 * Server-sent events on `res`: headers at once (with any the caller adds, such as the run's
 * `Content-Location`), a `: heartbeat` comment while the stream is quiet so idle-timeout proxies
 * keep it open, then one event per call of `send`.
 */
export function openEventStream(res: Response, heartbeatMs: number, headers: Record<string, string> = {}) {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  // Proxies that buffer (nginx) would hold the events back until the run ends.
  res.setHeader('X-Accel-Buffering', 'no');
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.flushHeaders();
  const open = () => !res.writableEnded && !res.destroyed;
  const heartbeat = setInterval(() => {
    if (open()) res.write(': heartbeat\n\n');
  }, heartbeatMs);
  heartbeat.unref();
  return {
    /** One event; `data` is already JSON. */
    send(event: string, data: string, id?: number) {
      if (open()) res.write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${data}\n\n`);
    },
    close() {
      clearInterval(heartbeat);
      if (open()) res.end();
    },
  };
}

/** An AbortSignal that fires when the client goes away before the answer is complete. */
export function disconnectSignal(res: Response): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}
