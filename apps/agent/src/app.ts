import type { Authorizer } from '@mcp-langgraph/authz';
import {
  createBaseApp,
  type Probe,
  type ServiceApp,
  type ServiceBase,
  toErrorResponse,
} from '@mcp-langgraph/observability';
import { SCOPE, type Scope } from '@mcp-langgraph/protocol';
import { bearerGuard, type TokenVerifier, verifiedToken } from '@mcp-langgraph/resource-server';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import type { AgentGraph } from './graph.js';
import { plain } from './messages.js';
import {
  assistantGraphRoute,
  assistantSchemasRoute,
  assistantSubgraphsRoute,
  assistantVersionsRoute,
  countAssistantsRoute,
  getAssistantRoute,
  searchAssistantsRoute,
} from './routes/assistants.js';
import { infoRoute, okRoute } from './routes/meta.js';
import { cancelRunRoute } from './routes/runs-cancel.js';
import { createRunRoute } from './routes/runs-create.js';
import { joinRunRoute, joinRunStreamRoute } from './routes/runs-join.js';
import { deleteRunRoute, getRunRoute, listRunsRoute } from './routes/runs-read.js';
import { runStreamRoute } from './routes/runs-stream.js';
import { runWaitRoute } from './routes/runs-wait.js';
import { copyThreadRoute } from './routes/thread-copy.js';
import { deleteThreadRoute } from './routes/thread-delete.js';
import { getThreadRoute } from './routes/thread-get.js';
import { threadHistoryRoute } from './routes/thread-history.js';
import { patchThreadRoute } from './routes/thread-patch.js';
import { shareThreadRoute } from './routes/thread-share.js';
import { threadStateAtRoute, threadStateRoute } from './routes/thread-state.js';
import { updateStateRoute } from './routes/thread-state-update.js';
import { createThreadRoute } from './routes/threads-create.js';
import { countThreadsRoute, searchThreadsRoute } from './routes/threads-search.js';
import type { RunService } from './runs.js';
import type { ThreadStore } from './store/threads.js';
import type { CheckpointOps } from './thread-checkpoints.js';
import type { ThreadLifecycle } from './thread-lifecycle.js';

/** Everything the agent's HTTP API needs, built by `createAgentService` (or by tests). */
export interface AppDeps {
  base: ServiceBase;
  verifier: TokenVerifier;
  authorizer: Authorizer;
  threads: ThreadStore;
  runs: RunService;
  lifecycle: ThreadLifecycle;
  checkpoints: CheckpointOps;
  graph: AgentGraph;
  probes?: readonly Probe[];
  now?: () => Date;
  /** How often a streamed run or a waiting answer sends a keep-alive. */
  streamHeartbeatMs?: number | undefined;
}

/**
 * What a client should ask for to use this API, named in every 401 challenge. The agent is
 * internal, so the challenge carries no `resource_metadata`: the edge obtains its tokens.
 */
const CONVERSATION_SCOPES: readonly Scope[] = [SCOPE.conversationsRead, SCOPE.conversationsWrite];

// Every log line of an authenticated request names who made it.
const nameCaller: RequestHandler = (req, _res, next) => {
  req.log = req.log.child({ user: verifiedToken(req).subject });
  next();
};

/**
 * The one error mapper's answer with the platform's `detail` beside `error` and
 * `error_description`, so LangGraph clients show the reason they expect.
 */
const platformErrors: ErrorRequestHandler = (err, req, res, _next) => {
  const { status, body, headers } = toErrorResponse(err);
  if (status >= 500) req.log?.error({ err }, 'unhandled error');
  if (res.headersSent) {
    res.end();
    return;
  }
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.status(status).json({ ...body, detail: body.error_description });
};

/**
 * The LangGraph Agent Protocol: info, assistants, threads (state, history, copy, sharing) and
 * durable runs (background, wait, stream, join, cancel). Every route but `/info` and `/ok` needs
 * an agent-audience Bearer token with the scope its declaration names; conversation relations
 * (viewer, editor, owner) are checked in the handlers.
 */
export function createApp(deps: AppDeps): ServiceApp {
  const now = deps.now ?? (() => new Date());
  const access = { authorizer: deps.authorizer, threads: deps.threads };
  const runDeps = {
    ...access,
    runs: deps.runs,
    lifecycle: deps.lifecycle,
    now,
    heartbeatMs: deps.streamHeartbeatMs ?? 15_000,
  };
  const authenticate = {
    verifier: deps.verifier,
    challengeScopes: CONVERSATION_SCOPES,
    failures: deps.base.metrics.authFailures,
  };
  const read = [bearerGuard({ ...authenticate, requiredScopes: [SCOPE.conversationsRead] }), nameCaller];
  const write = [bearerGuard({ ...authenticate, requiredScopes: [SCOPE.conversationsWrite] }), nameCaller];
  const values = async (threadId: string) =>
    plain((await deps.graph.getState({ configurable: { thread_id: threadId } })).values ?? {});

  const { app, ops } = createBaseApp({
    ...deps.base,
    probes: deps.probes ?? [],
    bodyParsers: { json: true },
    exposedHeaders: ['Content-Location', 'Location', 'X-Pagination-Total', 'X-Pagination-Next'],
    errorHandlers: [{ handler: platformErrors }],
    routes(app) {
      app.get('/info', infoRoute);
      app.get('/ok', okRoute);

      const assistants = express.Router();
      assistants.post('/search', read, searchAssistantsRoute);
      assistants.post('/count', read, countAssistantsRoute);
      assistants.get('/:assistant_id', read, getAssistantRoute);
      assistants.get('/:assistant_id/graph', read, assistantGraphRoute(deps.graph));
      assistants.get('/:assistant_id/schemas', read, assistantSchemasRoute);
      assistants.get('/:assistant_id/subgraphs', read, assistantSubgraphsRoute);
      assistants.post('/:assistant_id/versions', read, assistantVersionsRoute);
      assistants.use(bearerGuard(authenticate));
      app.use('/assistants', assistants);

      const threads = express.Router();
      threads.post('/', write, createThreadRoute({ ...access, lifecycle: deps.lifecycle, now }));
      threads.post('/search', read, searchThreadsRoute(access));
      threads.post('/count', read, countThreadsRoute(access));
      threads.get('/:thread_id', read, getThreadRoute({ ...access, values }));
      threads.patch('/:thread_id', write, patchThreadRoute({ ...access, now }));
      threads.delete('/:thread_id', write, deleteThreadRoute(runDeps));
      threads.get('/:thread_id/state', read, threadStateRoute({ ...access, graph: deps.graph }));
      threads.get(
        '/:thread_id/state/:checkpoint_id',
        read,
        threadStateRoute({ ...access, graph: deps.graph }),
      );
      threads.post(
        '/:thread_id/state/checkpoint',
        read,
        threadStateAtRoute({ ...access, graph: deps.graph }),
      );
      threads.post(
        '/:thread_id/state',
        write,
        updateStateRoute({ ...access, graph: deps.graph, runs: deps.runs }),
      );
      threads.post('/:thread_id/history', read, threadHistoryRoute({ ...access, graph: deps.graph }));
      threads.post(
        '/:thread_id/copy',
        write,
        copyThreadRoute({ ...access, lifecycle: deps.lifecycle, checkpoints: deps.checkpoints, now }),
      );
      threads.post('/:thread_id/share', write, shareThreadRoute(runDeps, true));
      threads.delete('/:thread_id/share', write, shareThreadRoute(runDeps, false));
      threads.post('/:thread_id/runs', write, createRunRoute(runDeps));
      threads.get('/:thread_id/runs', read, listRunsRoute(runDeps));
      threads.post('/:thread_id/runs/wait', write, runWaitRoute(runDeps));
      threads.post('/:thread_id/runs/stream', write, runStreamRoute(runDeps));
      threads.get('/:thread_id/runs/:run_id', read, getRunRoute(runDeps));
      threads.delete('/:thread_id/runs/:run_id', write, deleteRunRoute(runDeps));
      threads.get('/:thread_id/runs/:run_id/join', read, joinRunRoute(runDeps));
      threads.get('/:thread_id/runs/:run_id/stream', read, joinRunStreamRoute(runDeps));
      threads.post('/:thread_id/runs/:run_id/cancel', write, cancelRunRoute(runDeps));
      // A path under /threads that names no route still needs a token before it learns so (404).
      threads.use(bearerGuard(authenticate));
      app.use('/threads', threads);

      const stateless = express.Router();
      stateless.post('/wait', write, runWaitRoute(runDeps, true));
      stateless.post('/stream', write, runStreamRoute(runDeps, true));
      stateless.use(bearerGuard(authenticate));
      app.use('/runs', stateless);
    },
  });
  // The app holds nothing of its own: the stores and the worker belong to whoever built them.
  return { app, ops, close: async () => {} };
}
