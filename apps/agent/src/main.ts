import { join } from 'node:path';
import { authorizerOptionsFromConfig, createAuthorizer } from '@mcp-langgraph/authz';
import { agentConfigSchema, loadServiceConfig } from '@mcp-langgraph/config';
import { createDatabase, migrateToLatest } from '@mcp-langgraph/db';
import { createLogger, createMetrics, listen, onShutdown } from '@mcp-langgraph/observability';
import { createJwksClient, createTokenVerifier } from '@mcp-langgraph/resource-server';
import type { Kysely } from 'kysely';
import { createApp } from './app.js';
import { type Checkpointer, createPostgresCheckpointer, createSqliteCheckpointer } from './checkpointer.js';
import { createAgentGraph, SYSTEM_PROMPT } from './graph.js';
import { createAgentMetrics } from './metrics.js';
import { createChatModels } from './model/index.js';
import { createRunService } from './runs.js';
import { MIGRATION_TABLE, migrations } from './store/migrations.js';
import { createPostgresThreadLock } from './store/thread-lock.js';
import { type AgentDatabase, createThreadStore } from './store/threads.js';
import { createTools } from './tools/index.js';

async function main(): Promise<void> {
  const config = await loadServiceConfig(agentConfigSchema, process.env);
  const logger = createLogger({ service: 'agent', level: config.LOG_LEVEL });
  const metrics = createMetrics('agent');
  const agentMetrics = createAgentMetrics(metrics.registry);

  // Models first: a missing API key should stop start-up before any store is opened.
  const [model, ...fallbacks] = createChatModels({
    provider: config.LLM_PROVIDER,
    fallbacks: config.LLM_FALLBACK_PROVIDERS,
    model: config.LLM_MODEL,
    baseUrl: config.LLM_BASE_URL,
    temperature: config.LLM_TEMPERATURE,
    timeoutMs: config.LLM_TIMEOUT_MS,
    openaiApiKey: config.OPENAI_API_KEY,
    anthropicApiKey: config.ANTHROPIC_API_KEY,
  });
  const database = createDatabase<AgentDatabase>({
    url: config.DATABASE_URL,
    sqlitePath: join(config.DATA_DIR, 'agent.db'),
  });
  await migrateToLatest(database.db as unknown as Kysely<unknown>, migrations, MIGRATION_TABLE);

  const checkpointer: Checkpointer = config.DATABASE_URL
    ? await createPostgresCheckpointer(config.DATABASE_URL)
    : createSqliteCheckpointer(join(config.DATA_DIR, 'checkpoints.db'));

  // OpenFGA, PostgreSQL or the SQLite file the edge uses too (it reads the tuples written here).
  const authorizer = await createAuthorizer({
    ...authorizerOptionsFromConfig(config),
    registry: metrics.registry,
  });

  const jwksUrl = config.AUTH_JWKS_URL ?? `${config.AUTH_ISSUER.replace(/\/$/, '')}/.well-known/jwks.json`;
  const verifier = createTokenVerifier({
    issuer: config.AUTH_ISSUER,
    audiences: [config.AGENT_PUBLIC_URL],
    jwks: createJwksClient({ jwksUrl }),
  });

  const graph = createAgentGraph({
    model: model!,
    fallbacks,
    systemPrompt: SYSTEM_PROMPT,
    tools: createTools(),
    checkpointer: checkpointer.saver,
    maxIterations: config.AGENT_MAX_ITERATIONS,
    onUsage: ({ input, output }) => {
      agentMetrics.tokens.inc({ type: 'input' }, input);
      agentMetrics.tokens.inc({ type: 'output' }, output);
    },
  });
  const threads = createThreadStore(database.db);
  // With PostgreSQL several replicas may serve one thread; an advisory lock keeps its runs in line.
  const threadLock = config.DATABASE_URL ? createPostgresThreadLock({ url: config.DATABASE_URL }) : undefined;
  const runs = createRunService({
    ...(threadLock ? { threadLock: threadLock.lock } : {}),
    graph,
    threads,
    metrics: agentMetrics,
    maxIterations: config.AGENT_MAX_ITERATIONS,
    timeoutMs: config.AGENT_RUN_TIMEOUT_MS,
  });

  const app = createApp({
    logger,
    metrics,
    verifier,
    authorizer,
    threads,
    runs,
    corsOrigins: config.CORS_ORIGINS,
    bodyLimit: config.BODY_LIMIT,
    trustProxy: config.TRUST_PROXY,
    probes: [
      { name: 'database', check: () => database.ping() },
      { name: 'checkpoints', check: () => checkpointer.ping() },
      { name: 'authz', check: () => authorizer.ping() },
    ],
  });

  const server = await listen(app, config.AGENT_PORT, config.BIND_HOST);
  logger.info(
    {
      port: server.port,
      audience: config.AGENT_PUBLIC_URL,
      model: config.LLM_PROVIDER,
      fallbacks: config.LLM_FALLBACK_PROVIDERS,
      store: database.dialect,
      checkpoints: checkpointer.kind,
    },
    'agent listening',
  );

  onShutdown(logger, async () => {
    await server.close();
    await checkpointer.close();
    await threadLock?.close();
    await authorizer.close();
    await database.close();
  });
}

main().catch((err: unknown) => {
  // The logger may not exist yet (bad configuration); stderr is the one channel left.
  process.stderr.write(`agent failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
