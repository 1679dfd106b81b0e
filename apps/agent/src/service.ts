import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { StructuredToolInterface } from '@langchain/core/tools';
import { type Authorizer, seedTuples } from '@mcp-langgraph/authz';
import {
  type AgentConfig,
  authServerEndpoints,
  createLiveConfig,
  createRotatingSecret,
  fetchWithClientSecret,
  type LiveConfig,
  rotationOverlapMs,
} from '@mcp-langgraph/config';
import type { Database } from '@mcp-langgraph/db';
import { type Logger, type Metrics, type RunnableService, serviceBase } from '@mcp-langgraph/observability';
import { startTokenVerification } from '@mcp-langgraph/resource-server';
import { createApp } from './app.js';
import type { Checkpointer } from './checkpointer.js';
import { contextBudget } from './context.js';
import { createAgentGraph, systemPromptFor } from './graph.js';
import { openKnowledgeIndex, startKnowledgeSync } from './knowledge/index.js';
import { createAgentMetrics } from './metrics.js';
import { createConfiguredModel, followAgentRotations } from './model/live-model.js';
import { modelRequestRecorder } from './model/model-metrics.js';
import type { Backoff } from './model/resilience.js';
import { createRunEvents } from './run-events.js';
import { createRunService, type RunService } from './runs.js';
import { createRunStore } from './store/runs.js';
import { type AgentDatabase, createThreadStore } from './store/threads.js';
import { openStores } from './stores.js';
import { createThreadLifecycle } from './thread-lifecycle.js';
import { authorizeTools } from './tools/authorize.js';
import { BUILTIN_TOOLS, createTools } from './tools/index.js';
import type { RetryOptions } from './tools/mcp/connection.js';
import { startDownstream } from './tools/mcp/downstream.js';
import { parseMcpServers } from './tools/mcp/server-config.js';
import { webSearchOptions } from './tools/web-search.js';

/** What tests substitute for what production gets from its environment. */
export interface AgentServiceOverrides {
  logger?: Logger;
  metrics?: Metrics;
  /** Chat models, primary first, instead of those `LLM_MODEL` and `LLM_FALLBACK_MODELS` name. */
  models?: readonly BaseChatModel[];
  /** Backoff between model retries (500 ms doubling), shorter in tests. */
  modelBackoff?: Partial<Backoff>;
  /** Tools for the graph instead of the calculator and the clock. */
  tools?: StructuredToolInterface[] | undefined;
  /** Wraps the authorizer every route uses (a test switches it "down"); the service still closes the real one. */
  wrapAuthorizer?: (authorizer: Authorizer) => Authorizer;
  /** PostgreSQL schema for every store, so parallel tests never share rows. */
  postgresSchema?: string | undefined;
  /** The clock for thread timestamps and the clock tool. */
  now?: () => Date;
  /** Instead of `AGENT_RUN_TIMEOUT_MS`, whose floor (1 s) is long for a test. */
  runTimeoutMs?: number | undefined;
  /** How often a quiet stream sends a keep-alive comment (15 s). */
  streamHeartbeatMs?: number | undefined;
  /** How long a worker holds a run without a heartbeat before another takes it over (30 s). */
  runLeaseMs?: number | undefined;
  /** How often readers and the worker look for what other replicas wrote (250 ms, 1 s). */
  pollMs?: number | undefined;
  /** How long stream events of finished runs are kept for late joiners (10 minutes). */
  eventRetentionMs?: number | undefined;
  /** How soon an unreachable downstream MCP server is tried again (1 s, doubling to 60 s). */
  mcpRetry?: RetryOptions | undefined;
  /**
   * The configuration as it follows the secret manager (`loadLiveServiceConfig`): rotated model
   * keys, TAVILY_API_KEY and AGENT_CLIENT_SECRET are used without a restart. Unset, it never changes.
   */
  live?: LiveConfig<AgentConfig> | undefined;
}

export interface AgentService extends RunnableService {
  metrics: Metrics;
  /** The authorizer built from configuration (before `wrapAuthorizer`). */
  authorizer: Authorizer;
  database: Database<AgentDatabase>;
  checkpointer: Checkpointer;
  runs: RunService;
  /** Resolves once every rotation announced so far has been applied (or refused). */
  rotationsSettled(): Promise<void>;
}

/**
 * The agent's composition root: models, stores, token verification (JWKS, allowed actors, the
 * polled revocation feed), graph, run service and HTTP app, built from configuration. `main.ts`
 * runs it as it is; tests pass overrides and get the same wiring. Closing it stops the revocation
 * feed and closes every store; the HTTP server is the caller's.
 */
export async function createAgentService(
  config: AgentConfig,
  overrides: AgentServiceOverrides = {},
): Promise<AgentService> {
  const base = serviceBase('agent', config, config.AGENT_PORT, overrides);
  const { logger, metrics } = base;
  const agentMetrics = createAgentMetrics(metrics.registry);

  // Models first: a missing API key should stop start-up before any store is opened.
  // One model for the graph: the configured ones in order, with retries, timeout and fallback.
  const buildModel = (c: AgentConfig) =>
    createConfiguredModel(c, {
      models: overrides.models,
      backoff: overrides.modelBackoff,
      recorder: (names) => modelRequestRecorder(agentMetrics, names),
    });
  const configured = buildModel(config);
  let model = configured.model;
  const { models } = configured;
  // Models handed over ready-made (tests) are known by their LangChain type only.
  const contextTokens = contextBudget(
    config.LLM_CONTEXT_TOKENS,
    overrides.models ? models.map((m) => ({ provider: m.name })) : configured.specs,
  );
  // A malformed AGENT_MCP_SERVERS stops start-up too, before any I/O.
  const mcpServers = parseMcpServers(config.AGENT_MCP_SERVERS);
  const stores = await openStores(config, {
    registry: metrics.registry,
    postgresSchema: overrides.postgresSchema,
  });
  const authorizer = overrides.wrapAuthorizer?.(stores.authorizer) ?? stores.authorizer;
  // The operator's documents (AGENT_DOCS_DIR) for knowledge_search, indexed in the agent's database.
  const knowledge = config.AGENT_DOCS_DIR ? openKnowledgeIndex(stores.database, { logger }) : undefined;

  const clientSecret = createRotatingSecret('AGENT_CLIENT_SECRET', config.AGENT_CLIENT_SECRET, {
    overlapMs: rotationOverlapMs(config),
  });
  // Only tokens the edge exchanged (`act.sub` in AGENT_ALLOWED_ACTORS) are accepted, and each is
  // checked against the polled revocation feed: a revoked token, a token exchanged from one, or a
  // disabled user is refused within one poll, and old tokens are refused while the feed is stale.
  const tokens = await startTokenVerification({
    issuer: config.AUTH_ISSUER,
    audiences: [config.AGENT_PUBLIC_URL],
    endpoints: authServerEndpoints(config),
    client: { id: config.AGENT_CLIENT_ID, secret: config.AGENT_CLIENT_SECRET },
    pollMs: config.REVOCATION_POLL_MS,
    maxStalenessMs: config.REVOCATION_MAX_STALENESS_MS,
    clockToleranceSec: config.AUTH_CLOCK_TOLERANCE_SECONDS,
    allowedActors: config.AGENT_ALLOWED_ACTORS,
    logger,
    registry: metrics.registry,
    // The feed's client credentials are built from the current secret per request.
    fetch: fetchWithClientSecret(config.AGENT_CLIENT_ID, () => clientSecret.accepted()),
  });

  // Every tool call is authorized for the run's user (`executor` on `tool:<name>`). Every signed-in
  // user may use the built-in tools, as the edge's seed grants its own; downstream tools are granted
  // by the operator, or to everyone for a server marked `public`.
  await seedTuples(authorizer, BUILTIN_TOOLS);
  const toolGate = { authorizer, metrics: agentMetrics, logger };
  const buildBuiltins = (c: AgentConfig) =>
    authorizeTools(
      overrides.tools ?? createTools({ now: overrides.now, knowledge, webSearch: webSearchOptions(c) }),
      toolGate,
    );
  let builtins = buildBuiltins(config);
  // Servers that cannot be reached now are logged and retried; their tools join when they answer.
  const downstream = await startDownstream(mcpServers, {
    logger,
    gate: toolGate,
    timeoutMs: config.AGENT_MCP_TIMEOUT_MS,
    retry: overrides.mcpRetry,
    seed: (grants) => seedTuples(authorizer, grants),
  });
  const buildGraph = (tools = [...builtins, ...downstream.tools()]) =>
    createAgentGraph({
      model,
      systemPrompt: systemPromptFor(tools.map((t) => t.name)),
      tools,
      checkpointer: stores.checkpointer.saver,
      maxIterations: config.AGENT_MAX_ITERATIONS,
      contextTokens,
    });
  // The model is bound to its tools when the graph is built: a new downstream tool list means a new graph.
  let graph = buildGraph();
  downstream.onChange(() => {
    graph = buildGraph();
  });
  // A rotated key means new clients for the next run; runs in flight keep the graph they started with.
  const rotations = followAgentRotations(overrides.live ?? createLiveConfig(config), {
    logger,
    registry: metrics.registry,
    clientSecret,
    rebuildModel(c) {
      model = buildModel(c).model;
      graph = buildGraph();
    },
    rebuildTools(c) {
      builtins = buildBuiltins(c);
      graph = buildGraph();
    },
  });
  const threads = createThreadStore(stores.database.db);
  const runStore = createRunStore(stores.database.db, stores.database.dialect);
  const checkpoints = stores.checkpointer;
  const lifecycle = createThreadLifecycle({
    database: stores.database,
    threads,
    runs: runStore,
    authorizer,
    saver: stores.checkpointer.saver,
  });
  const events = createRunEvents({ store: runStore, pollMs: overrides.pollMs, now: overrides.now });
  const runs = createRunService({
    // Read when each run starts, so a run gets the tools offered at that moment.
    get graph() {
      return graph;
    },
    store: runStore,
    threads,
    lifecycle,
    events,
    checkpoints,
    metrics: agentMetrics,
    logger,
    maxIterations: config.AGENT_MAX_ITERATIONS,
    timeoutMs: overrides.runTimeoutMs ?? config.AGENT_RUN_TIMEOUT_MS,
    // One process owns an SQLite store: what it finds running was left by its previous life.
    reclaimOnStart: stores.database.dialect === 'sqlite',
    leaseMs: overrides.runLeaseMs,
    threadLock: stores.threadLock?.lock,
    workerPollMs: overrides.pollMs === undefined ? undefined : overrides.pollMs * 4,
    now: overrides.now,
  });

  const api = createApp({
    base,
    verifier: tokens.verifier,
    authorizer,
    threads,
    runs,
    lifecycle,
    checkpoints,
    graph,
    now: overrides.now,
    streamHeartbeatMs: overrides.streamHeartbeatMs,
    probes: [
      { name: 'database', check: () => stores.database.ping() },
      { name: 'checkpoints', check: () => stores.checkpointer.ping() },
      { name: 'authz', check: () => authorizer.ping() },
    ],
  });

  // Stream events of finished runs are kept a while for late joiners, then purged.
  const retentionMs = overrides.eventRetentionMs ?? 10 * 60_000;
  const purge = setInterval(
    () => {
      const before = new Date((overrides.now?.() ?? new Date()).getTime() - retentionMs).toISOString();
      runStore.purgeEvents(before).catch((err: unknown) => logger.warn({ err }, 'purging run events failed'));
    },
    Math.min(retentionMs, 60_000),
  );
  purge.unref();
  await runs.start();
  // Indexed now in the background, then re-checked every AGENT_DOCS_POLL_MS.
  const docsSync = knowledge
    ? startKnowledgeSync({
        index: knowledge,
        dir: config.AGENT_DOCS_DIR,
        pollMs: config.AGENT_DOCS_POLL_MS,
        logger,
      })
    : undefined;

  return {
    app: api.app,
    ops: api.ops,
    listen: base.listen,
    rotationsSettled: rotations.settled,
    async close() {
      rotations.stop();
      clearInterval(purge);
      tokens.stop();
      await docsSync?.stop();
      await knowledge?.close();
      // Runs in flight are let go, not ended: the next worker resumes them from their checkpoints.
      await runs.stop();
      await downstream.close();
      await api.close();
      await stores.close();
    },
    info: {
      audience: config.AGENT_PUBLIC_URL,
      model: models[0]!.name,
      fallbacks: models.slice(1).map((m) => m.name),
      store: stores.database.dialect,
      checkpoints: stores.checkpointer.kind,
    },
    logger,
    metrics,
    authorizer: stores.authorizer,
    database: stores.database,
    checkpointer: stores.checkpointer,
    runs,
  };
}
