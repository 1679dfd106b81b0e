import type { Authorizer } from '@mcp-langgraph/authz';
import {
  createBaseApp,
  finishApp,
  type Logger,
  type Metrics,
  type Probe,
} from '@mcp-langgraph/observability';
import { requireToken, type TokenVerifier } from '@mcp-langgraph/resource-server';
import express, { type Express } from 'express';
import { runStreamRoute } from './routes/runs-stream.js';
import { runWaitRoute } from './routes/runs-wait.js';
import { deleteThreadRoute } from './routes/thread-delete.js';
import { getThreadRoute } from './routes/thread-get.js';
import { threadStateRoute } from './routes/thread-state.js';
import { createThreadRoute } from './routes/threads-create.js';
import { searchThreadsRoute } from './routes/threads-search.js';
import type { RunService } from './runs.js';
import type { ThreadStore } from './store/threads.js';

/** Everything the agent's HTTP API needs, built by `main.ts` (or by tests). */
export interface AppDeps {
  logger: Logger;
  metrics: Metrics;
  verifier: TokenVerifier;
  authorizer: Authorizer;
  threads: ThreadStore;
  runs: RunService;
  corsOrigins?: readonly string[];
  bodyLimit?: string;
  trustProxy?: string;
  probes?: readonly Probe[];
  now?: () => Date;
  /** How often a streamed run sends a keep-alive comment. */
  streamHeartbeatMs?: number;
}

/**
 * The Agent Protocol subset: threads, blocking runs and thread state. Every route needs an
 * agent-audience Bearer token; scopes and conversation relations are checked per route.
 */
export function createApp(deps: AppDeps): Express {
  const app = createBaseApp({
    logger: deps.logger,
    metrics: deps.metrics,
    corsOrigins: deps.corsOrigins ?? [],
    bodyLimit: deps.bodyLimit ?? '100kb',
    trustProxy: deps.trustProxy ?? 'loopback',
    probes: deps.probes ?? [],
  });
  const now = deps.now ?? (() => new Date());
  const access = { authorizer: deps.authorizer, threads: deps.threads };

  const threads = express.Router();
  threads.use(requireToken({ verifier: deps.verifier }));
  threads.use((req, _res, next) => {
    // Every log line of an authenticated request names who made it.
    if (req.token) req.log = req.log.child({ user: req.token.subject });
    next();
  });
  threads.post('/', createThreadRoute({ ...access, now }));
  threads.post('/search', searchThreadsRoute(access));
  threads.post('/:thread_id/runs/wait', runWaitRoute({ ...access, runs: deps.runs }));
  threads.post(
    '/:thread_id/runs/stream',
    runStreamRoute({ ...access, runs: deps.runs, heartbeatMs: deps.streamHeartbeatMs }),
  );
  threads.get('/:thread_id', getThreadRoute(access));
  threads.delete('/:thread_id', deleteThreadRoute({ ...access, runs: deps.runs }));
  threads.get('/:thread_id/state', threadStateRoute({ ...access, runs: deps.runs }));
  app.use('/threads', threads);

  return finishApp(app);
}
