import { notFound } from '@mcp-langgraph/observability';
import type { RequestHandler } from 'express';
import type { AgentGraph } from '../graph.js';
import { toThreadState } from '../thread-checkpoints.js';
import { parseId, type ThreadAccessDeps, threadOfRequest } from './thread-access.js';

/**
 * `GET /threads/{thread_id}/state` and `/state/{checkpoint_id}`: the thread's state (values,
 * next nodes, tasks, checkpoint and its parent, metadata) now or at one of its checkpoints.
 */
export function threadStateRoute(deps: ThreadAccessDeps & { graph: AgentGraph }): RequestHandler {
  return async (req, res) => {
    const thread = await threadOfRequest(deps, req, 'viewer');
    const at =
      req.params.checkpoint_id === undefined ? undefined : parseId(req.params.checkpoint_id, 'checkpoint_id');
    const snapshot = await deps.graph.getState({
      configurable: { thread_id: thread.threadId, ...(at ? { checkpoint_id: at } : {}) },
    });
    const state = toThreadState(snapshot);
    if (at && (!snapshot.createdAt || state.checkpoint?.checkpoint_id !== at))
      throw notFound('no such checkpoint');
    res.json(state);
  };
}
