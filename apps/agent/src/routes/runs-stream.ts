import { toErrorResponse } from '@mcp-langgraph/observability';
import type { RunStreamEvent } from '@mcp-langgraph/protocol';
import type { RequestHandler, Response } from 'express';
import type { RunService } from '../runs.js';
import { acceptRun, runFailure } from './run-request.js';
import type { ThreadAccessDeps } from './thread-access.js';

/** Server-sent events on `res`, started lazily so failures before the first event stay plain JSON errors. */
function eventStream(res: Response, heartbeatMs: number) {
  let started = false;
  let heartbeat: NodeJS.Timeout | undefined;
  return {
    get started() {
      return started;
    },
    close() {
      clearInterval(heartbeat);
      res.end();
    },
    send({ event, data }: RunStreamEvent) {
      if (!started) {
        res.status(200);
        res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
        res.setHeader('Cache-Control', 'no-cache, no-transform');
        // Proxies that buffer (nginx) would hold the events back until the run ends.
        res.setHeader('X-Accel-Buffering', 'no');
        res.flushHeaders();
        started = true;
        // A comment line now and then keeps idle-timeout proxies from closing a long run's stream.
        heartbeat = setInterval(() => {
          if (!res.writableEnded && !res.destroyed) res.write(': keep-alive\n\n');
        }, heartbeatMs);
        heartbeat.unref();
      }
      if (!res.writableEnded && !res.destroyed)
        res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
  };
}

/**
 * `POST /threads/{thread_id}/runs/stream`: the same run as `runs/wait`, reported as it happens.
 * Events: `metadata` {run_id, thread_id}; `updates` {node, messages} for each graph step; then
 * `end` with the `runs/wait` body, or `error` {error, error_description}.
 */
export function runStreamRoute(
  deps: ThreadAccessDeps & { runs: RunService; heartbeatMs?: number | undefined },
): RequestHandler {
  return async (req, res) => {
    const { threadId, messages } = await acceptRun(deps, req);
    const events = eventStream(res, deps.heartbeatMs ?? 15_000);
    try {
      const result = await deps.runs.stream(threadId, messages, req.log, events.send);
      events.send({ event: 'end', data: result });
    } catch (err) {
      const failure = runFailure(err);
      if (!events.started) throw failure;
      events.send({ event: 'error', data: toErrorResponse(failure).body });
    } finally {
      // A client that went away does not cancel the run: it completes and stays in the thread.
      if (events.started) events.close();
    }
  };
}
