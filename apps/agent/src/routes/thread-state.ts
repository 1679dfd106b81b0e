import { notFound } from '@mcp-langgraph/observability';
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import type { AgentGraph } from '../graph.js';
import { toThreadState } from '../thread-checkpoints.js';
import { parseBody } from './parse.js';
import { parseId, type ThreadAccessDeps, threadOfRequest } from './thread-access.js';

type StateDeps = ThreadAccessDeps & { graph: AgentGraph };

/** The state of the request's thread (as a viewer), now or at checkpoint `at`; 404 for a checkpoint it does not have. */
async function stateOf(deps: StateDeps, req: Request, at: string | undefined) {
  const thread = await threadOfRequest(deps, req, 'viewer');
  const checkpointId = at === undefined ? undefined : parseId(at, 'checkpoint_id');
  const snapshot = await deps.graph.getState({
    configurable: { thread_id: thread.threadId, ...(checkpointId ? { checkpoint_id: checkpointId } : {}) },
  });
  const state = toThreadState(snapshot);
  if (checkpointId && (!snapshot.createdAt || state.checkpoint?.checkpoint_id !== checkpointId))
    throw notFound('no such checkpoint');
  return state;
}

/**
 * `GET /threads/{thread_id}/state` and `/state/{checkpoint_id}`: the thread's state (values,
 * next nodes, tasks, checkpoint and its parent, metadata) now or at one of its checkpoints.
 */
export function threadStateRoute(deps: StateDeps): RequestHandler {
  return async (req, res) => {
    const at = req.params.checkpoint_id;
    res.json(await stateOf(deps, req, typeof at === 'string' ? at : undefined));
  };
}

const atCheckpoint = z.object({
  checkpoint: z.object({ checkpoint_id: z.string().max(64).optional() }).nullish(),
  subgraphs: z.boolean().optional(),
});

/** `POST /threads/{thread_id}/state/checkpoint` `{checkpoint: {checkpoint_id}}`: the same, the checkpoint in the body. */
export function threadStateAtRoute(deps: StateDeps): RequestHandler {
  return async (req, res) => {
    const { checkpoint } = parseBody(atCheckpoint, req.body ?? {});
    res.json(await stateOf(deps, req, checkpoint?.checkpoint_id));
  };
}
