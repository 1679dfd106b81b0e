import { toErrorResponse } from '@mcp-langgraph/observability';
import { assertScopes } from '@mcp-langgraph/resource-server';
import type { RequestHandler, Response } from 'express';
import type { RunService } from '../runs.js';
import { parseBody, parseThreadId, requireThread, type ThreadAccessDeps } from './common.js';
import { runBodySchema, runFailure } from './runs-wait.js';

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
    send(event: string, data: unknown) {
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
  deps: ThreadAccessDeps & { runs: RunService; heartbeatMs?: number },
): RequestHandler {
  return async (req, res) => {
    const token = assertScopes(req.token, ['conversations:write']);
    const threadId = parseThreadId(req.params.thread_id);
    const { input } = parseBody(runBodySchema, req.body);
    await requireThread(deps, token.subject, threadId, 'editor', req.log);
    const events = eventStream(res, deps.heartbeatMs ?? 15_000);
    try {
      const result = await deps.runs.stream(
        threadId,
        input.messages.map((m) => m.content),
        req.log,
        (e) => events.send(e.event, e.data),
      );
      events.send('end', result);
    } catch (err) {
      const failure = runFailure(err);
      if (!events.started) throw failure;
      events.send('error', toErrorResponse(failure).body);
    } finally {
      // A client that went away does not cancel the run: it completes and stays in the thread.
      if (events.started) events.close();
    }
  };
}
