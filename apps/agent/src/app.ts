import type { Authorizer } from '@mcp-langgraph/authz';
import { createBaseApp, type Probe, type ServiceApp, type ServiceBase } from '@mcp-langgraph/observability';
import { SCOPE, type Scope } from '@mcp-langgraph/protocol';
import { bearerGuard, type TokenVerifier, verifiedToken } from '@mcp-langgraph/resource-server';
import express, { type RequestHandler } from 'express';
import { runStreamRoute } from './routes/runs-stream.js';
import { runWaitRoute } from './routes/runs-wait.js';
import { deleteThreadRoute } from './routes/thread-delete.js';
import { getThreadRoute } from './routes/thread-get.js';
import { threadStateRoute } from './routes/thread-state.js';
import { createThreadRoute } from './routes/threads-create.js';
import { searchThreadsRoute } from './routes/threads-search.js';
import type { RunService } from './runs.js';
import type { ThreadStore } from './store/threads.js';

/** Everything the agent's HTTP API needs, built by `createAgentService` (or by tests). */
export interface AppDeps {
  base: ServiceBase;
  verifier: TokenVerifier;
  authorizer: Authorizer;
  threads: ThreadStore;
  runs: RunService;
  probes?: readonly Probe[];
  now?: () => Date;
  /** How often a streamed run sends a keep-alive comment. */
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
 * The Agent Protocol subset: threads, blocking and streamed runs, thread state. Every route needs
 * an agent-audience Bearer token with the scope its declaration names; conversation relations
 * are checked in the handlers.
 */
export function createApp(deps: AppDeps): ServiceApp {
  const now = deps.now ?? (() => new Date());
  const access = { authorizer: deps.authorizer, threads: deps.threads };
  const runs = { ...access, runs: deps.runs };
  const authenticate = {
    verifier: deps.verifier,
    challengeScopes: CONVERSATION_SCOPES,
    failures: deps.base.metrics.authFailures,
  };
  const guard = (scope: Scope): RequestHandler[] => [
    bearerGuard({ ...authenticate, requiredScopes: [scope] }),
    nameCaller,
  ];

  const { app, ops } = createBaseApp({
    ...deps.base,
    probes: deps.probes ?? [],
    bodyParsers: { json: true },
    routes(app) {
      const threads = express.Router();
      threads.post('/', guard(SCOPE.conversationsWrite), createThreadRoute({ ...access, now }));
      threads.post('/search', guard(SCOPE.conversationsRead), searchThreadsRoute(access));
      threads.post('/:thread_id/runs/wait', guard(SCOPE.conversationsWrite), runWaitRoute(runs));
      threads.post(
        '/:thread_id/runs/stream',
        guard(SCOPE.conversationsWrite),
        runStreamRoute({ ...runs, heartbeatMs: deps.streamHeartbeatMs }),
      );
      threads.get('/:thread_id', guard(SCOPE.conversationsRead), getThreadRoute(access));
      threads.delete('/:thread_id', guard(SCOPE.conversationsWrite), deleteThreadRoute(runs));
      threads.get('/:thread_id/state', guard(SCOPE.conversationsRead), threadStateRoute(runs));
      // A path under /threads that names no route still needs a token before it learns so (404).
      threads.use(bearerGuard(authenticate));
      app.use('/threads', threads);
    },
  });
  // The app holds nothing of its own: the stores belong to whoever built them and close with it.
  return { app, ops, close: async () => {} };
}
