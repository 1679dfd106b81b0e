import { historyBodySchema } from '@mcp-langgraph/protocol';
import type { RequestHandler } from 'express';
import type { AgentGraph } from '../graph.js';
import { toThreadState } from '../thread-checkpoints.js';
import { parseBody } from './parse.js';
import { type ThreadAccessDeps, threadOfRequest } from './thread-access.js';

/**
 * `POST /threads/{thread_id}/history`: the thread's states newest first, `limit` at a time,
 * `before` a checkpoint to page back, filtered by checkpoint metadata.
 */
export function threadHistoryRoute(deps: ThreadAccessDeps & { graph: AgentGraph }): RequestHandler {
  return async (req, res) => {
    const thread = await threadOfRequest(deps, req, 'viewer');
    const body = parseBody(historyBodySchema, req.body ?? {});
    const before =
      typeof body.before === 'string'
        ? { configurable: { checkpoint_id: body.before } }
        : body.before
          ? { configurable: { checkpoint_id: body.before.configurable.checkpoint_id } }
          : undefined;
    const states = [];
    const config = {
      configurable: {
        thread_id: thread.threadId,
        checkpoint_ns: '',
        ...(body.checkpoint?.checkpoint_id ? { checkpoint_id: body.checkpoint.checkpoint_id } : {}),
      },
    };
    for await (const snapshot of deps.graph.getStateHistory(config, {
      limit: body.limit,
      ...(before ? { before } : {}),
      ...(body.metadata ? { filter: body.metadata } : {}),
    }))
      states.push(toThreadState(snapshot));
    res.json(states);
  };
}
