import { AppError } from '@mcp-langgraph/observability';
import { updateStateBodySchema } from '@mcp-langgraph/protocol';
import type { RequestHandler } from 'express';
import type { AgentGraph } from '../graph.js';
import { stateUpdate } from '../run-execution.js';
import type { RunService } from '../runs.js';
import { checkpointOf } from '../thread-checkpoints.js';
import { parseBody, unprocessable } from './parse.js';
import { type ThreadAccessDeps, threadOfRequest } from './thread-access.js';

/** The nodes a state update may be written as. */
const NODES = new Set(['agent', 'tools', 'respond', '__start__']);

/**
 * `POST /threads/{thread_id}/state`: writes `values` as if node `as_node` had returned them (as
 * an editor), on the latest checkpoint or the one named; 409 while a run is active on the thread.
 */
export function updateStateRoute(
  deps: ThreadAccessDeps & { graph: AgentGraph; runs: RunService },
): RequestHandler {
  return async (req, res) => {
    const thread = await threadOfRequest(deps, req, 'editor');
    const body = parseBody(updateStateBodySchema, req.body ?? {});
    if (body.as_node !== undefined && !NODES.has(body.as_node))
      throw unprocessable(`as_node: no node named "${body.as_node}"`);
    if (Array.isArray(body.values)) throw unprocessable('values: give one update as an object');
    if ((await deps.runs.active(thread.threadId)).length > 0)
      throw new AppError(409, 'thread_busy', 'a run is active on the thread', { 'Retry-After': '2' });
    const checkpointId = body.checkpoint_id ?? body.checkpoint?.checkpoint_id;
    const config = {
      configurable: {
        thread_id: thread.threadId,
        checkpoint_ns: '',
        ...(checkpointId ? { checkpoint_id: checkpointId } : {}),
      },
    };
    let next: Awaited<ReturnType<AgentGraph['updateState']>>;
    try {
      next = await deps.graph.updateState(config, stateUpdate(body.values ?? null) as never, body.as_node);
    } catch (err) {
      if (err instanceof AppError) throw err;
      // LangGraph refuses updates it cannot place (no node to attribute them to, unknown checkpoint).
      req.log.info({ err, thread_id: thread.threadId }, 'state update refused');
      throw unprocessable('the update cannot be applied to this thread');
    }
    res.json({ checkpoint: checkpointOf(next) });
  };
}
