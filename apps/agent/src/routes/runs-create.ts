import type { RequestHandler } from 'express';
import { acceptRun, type RunRouteDeps, runBody } from './run-accept.js';

/** `POST /threads/{thread_id}/runs`: a background run, answered at once with its record. */
export function createRunRoute(deps: RunRouteDeps): RequestHandler {
  return async (req, res) => {
    const { run, location } = await acceptRun(deps, req);
    res.setHeader('Content-Location', location);
    res.json(runBody(run));
  };
}
