import { notFound } from '@mcp-langgraph/observability';
import { RUN_STATUSES } from '@mcp-langgraph/protocol';
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import type { RunRecord } from '../store/runs.js';
import { parseBody } from './parse.js';
import { type RunRouteDeps, runBody } from './run-accept.js';
import { parseId, type ThreadRelation, threadOfRequest } from './thread-access.js';

/** The run of the request's path, on a thread the caller holds `relation` on; 404 otherwise. */
export async function runOfRequest(
  deps: RunRouteDeps,
  req: Request,
  relation: ThreadRelation,
): Promise<RunRecord> {
  const thread = await threadOfRequest(deps, req, relation);
  const run = await deps.runs.get(thread.threadId, parseId(req.params.run_id, 'run_id'));
  if (!run) throw notFound('no such run');
  return run;
}

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(10),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
  status: z.enum(RUN_STATUSES).optional(),
});

/** `GET /threads/{thread_id}/runs`: the thread's runs, newest first. */
export function listRunsRoute(deps: RunRouteDeps): RequestHandler {
  return async (req, res) => {
    const thread = await threadOfRequest(deps, req, 'viewer');
    const { limit, offset, status } = parseBody(listQuery, req.query);
    res.json((await deps.runs.list(thread.threadId, limit, offset, status)).map(runBody));
  };
}

/** `GET /threads/{thread_id}/runs/{run_id}`: one run, whatever became of it. */
export function getRunRoute(deps: RunRouteDeps): RequestHandler {
  return async (req, res) => {
    res.json(runBody(await runOfRequest(deps, req, 'viewer')));
  };
}

/** `DELETE /threads/{thread_id}/runs/{run_id}`: forgets a finished run (409 while it is active). */
export function deleteRunRoute(deps: RunRouteDeps): RequestHandler {
  return async (req, res) => {
    const run = await runOfRequest(deps, req, 'editor');
    await deps.runs.delete(run);
    res.status(204).end();
  };
}
