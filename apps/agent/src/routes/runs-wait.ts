import type { RequestHandler, Response } from 'express';
import { serialise } from '../messages.js';
import type { RunService } from '../runs.js';
import type { RunRecord } from '../store/runs.js';
import { acceptRun, type RunRouteDeps } from './run-accept.js';
import { disconnectSignal } from './sse.js';

/**
 * Waits for the run and answers its result (the thread's values, or `__error__`). While it waits
 * a newline goes out now and then (JSON allows leading whitespace), so proxies with idle
 * timeouts keep the request open; the status is then already 200, which is why failures travel
 * in the body as the platform's `__error__`.
 */
export async function answerWhenDone(
  runs: RunService,
  res: Response,
  run: RunRecord,
  options: { heartbeatMs: number; cancelOnDisconnect: boolean },
): Promise<void> {
  const gone = disconnectSignal(res);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  const heartbeat = setInterval(() => {
    if (!res.headersSent) res.status(200).flushHeaders();
    if (!res.writableEnded && !res.destroyed) res.write('\n');
  }, options.heartbeatMs);
  heartbeat.unref();
  try {
    await runs.waitForEnd(run.runId, gone);
  } finally {
    clearInterval(heartbeat);
  }
  if (gone.aborted) {
    if (options.cancelOnDisconnect) await runs.cancel(run, 'interrupt');
    return;
  }
  res.end(serialise(await runs.result(run)));
}

/** `POST /threads/{thread_id}/runs/wait` and `POST /runs/wait`: queues a run and answers its result. */
export function runWaitRoute(deps: RunRouteDeps, threadless = false): RequestHandler {
  return async (req, res) => {
    const { run, onDisconnect, location } = await acceptRun(deps, req, threadless);
    res.setHeader('Content-Location', location);
    await answerWhenDone(deps.runs, res, run, {
      heartbeatMs: deps.heartbeatMs,
      cancelOnDisconnect: onDisconnect === 'cancel',
    });
  };
}
