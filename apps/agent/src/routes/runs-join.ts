import type { RequestHandler } from 'express';
import { z } from 'zod';
import { parseBody } from './parse.js';
import type { RunRouteDeps } from './run-accept.js';
import { runOfRequest } from './runs-read.js';
import { streamRun } from './runs-stream.js';
import { answerWhenDone } from './runs-wait.js';

const flag = z
  .enum(['0', '1', 'true', 'false'])
  .optional()
  .transform((v) => v === '1' || v === 'true');
const joinQuery = z.object({ cancel_on_disconnect: flag });

/** `GET /threads/{thread_id}/runs/{run_id}/join`: waits for the run and answers the thread's final values. */
export function joinRunRoute(deps: RunRouteDeps): RequestHandler {
  return async (req, res) => {
    const run = await runOfRequest(deps, req, 'viewer');
    const { cancel_on_disconnect } = parseBody(joinQuery, req.query);
    await answerWhenDone(deps.runs, res, run, {
      heartbeatMs: deps.heartbeatMs,
      cancelOnDisconnect: cancel_on_disconnect,
    });
  };
}

/**
 * `GET /threads/{thread_id}/runs/{run_id}/stream`: joins a run's stream on any replica, from the
 * start or after `Last-Event-ID`; a finished run replays what it streamed (while it is kept).
 */
export function joinRunStreamRoute(deps: RunRouteDeps): RequestHandler {
  return async (req, res) => {
    const run = await runOfRequest(deps, req, 'viewer');
    const { cancel_on_disconnect } = parseBody(joinQuery, req.query);
    const last = req.get('last-event-id');
    const afterId = last && /^\d{1,9}$/.test(last) ? Number(last) : 0;
    await streamRun(
      deps.runs,
      res,
      { threadId: run.threadId, runId: run.runId, afterId, cancelOnDisconnect: cancel_on_disconnect },
      deps.heartbeatMs,
      { 'Content-Location': `/threads/${run.threadId}/runs/${run.runId}` },
    );
  };
}
