import type { RequestHandler } from 'express';
import type { RunService } from '../runs.js';
import { acceptRun, type RunRouteDeps } from './run-accept.js';
import { disconnectSignal, openEventStream } from './sse.js';

/**
 * A run's events on `res` from after `afterId` until its `end`. When the client goes away first
 * and asked for it (`on_disconnect: cancel`), the run is cancelled; otherwise it goes on.
 */
export async function streamRun(
  runs: RunService,
  res: Parameters<RequestHandler>[1],
  target: { threadId: string; runId: string; afterId: number; cancelOnDisconnect: boolean },
  heartbeatMs: number,
  headers: Record<string, string>,
): Promise<void> {
  const gone = disconnectSignal(res);
  const stream = openEventStream(res, heartbeatMs, headers);
  try {
    for await (const e of runs.events(target.runId, target.afterId, gone)) stream.send(e.event, e.data, e.id);
  } finally {
    stream.close();
    if (gone.aborted && target.cancelOnDisconnect) {
      const run = await runs.get(target.threadId, target.runId);
      if (run) await runs.cancel(run, 'interrupt');
    }
  }
}

/**
 * `POST /threads/{thread_id}/runs/stream` and `POST /runs/stream`: queues a run and streams it as
 * server-sent events: `metadata` first, one event per chunk named by its mode, `error` when it
 * fails, `end` last. `Content-Location` names the run; `Location` is where to reconnect
 * (`Last-Event-ID` resumes after the last event received).
 */
export function runStreamRoute(deps: RunRouteDeps, threadless = false): RequestHandler {
  return async (req, res) => {
    const { run, thread, onDisconnect, location } = await acceptRun(deps, req, threadless);
    await streamRun(
      deps.runs,
      res,
      {
        threadId: thread.threadId,
        runId: run.runId,
        afterId: 0,
        cancelOnDisconnect: onDisconnect === 'cancel',
      },
      deps.heartbeatMs,
      { 'Content-Location': location, Location: `/threads/${thread.threadId}/runs/${run.runId}/stream` },
    );
  };
}
