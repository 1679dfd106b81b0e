import type { RequestHandler } from 'express';
import { z } from 'zod';
import { parseBody } from './parse.js';
import type { RunRouteDeps } from './run-accept.js';
import { runOfRequest } from './runs-read.js';

const cancelQuery = z.object({
  wait: z
    .enum(['0', '1', 'true', 'false'])
    .optional()
    .transform((v) => v === '1' || v === 'true'),
  action: z.enum(['interrupt', 'rollback']).default('interrupt'),
});

/**
 * `POST /threads/{thread_id}/runs/{run_id}/cancel?action=interrupt|rollback&wait=1`: stops the
 * run (as an editor) wherever it runs; `rollback` also undoes what it wrote and forgets it.
 * 202 at once, or 204 once it has stopped with `wait`.
 */
export function cancelRunRoute(deps: RunRouteDeps): RequestHandler {
  return async (req, res) => {
    const run = await runOfRequest(deps, req, 'editor');
    const { wait, action } = parseBody(cancelQuery, req.query);
    await deps.runs.cancel(run, action);
    if (wait) await deps.runs.waitForEnd(run.runId, AbortSignal.timeout(60_000));
    res.status(wait ? 204 : 202).end();
  };
}
