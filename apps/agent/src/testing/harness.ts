import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StructuredToolInterface } from '@langchain/core/tools';
import { type Authorizer, createAuthorizer } from '@mcp-langgraph/authz';
import { createDatabase, type Database, migrateToLatest } from '@mcp-langgraph/db';
import { createLogger, createMetrics, listen } from '@mcp-langgraph/observability';
import { createJwksClient, createTokenVerifier } from '@mcp-langgraph/resource-server';
import { startTestIssuer, type TestIssuer } from '@mcp-langgraph/resource-server/testing';
import type { Kysely } from 'kysely';
import { createApp } from '../app.js';
import { type Checkpointer, createSqliteCheckpointer } from '../checkpointer.js';
import { createAgentGraph } from '../graph.js';
import { createAgentMetrics } from '../metrics.js';
import { OfflineChatModel } from '../model/offline.js';
import { createRunService } from '../runs.js';
import { MIGRATION_TABLE, migrations } from '../store/migrations.js';
import { type AgentDatabase, createThreadStore } from '../store/threads.js';
import { createTools } from '../tools/index.js';

export const AUDIENCE = 'http://agent.test';

export interface Harness {
  url: string;
  issuer: TestIssuer;
  authorizer: Authorizer;
  database: Database<AgentDatabase>;
  checkpointer: Checkpointer;
  /** While true every authorizer call throws, as when the authorization store is down. */
  setAuthzDown(down: boolean): void;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Tools for the graph; defaults to the real calculator and clock. */
  tools?: StructuredToolInterface[];
  runTimeoutMs?: number;
  streamHeartbeatMs?: number;
  /** Builds the stores; defaults to SQLite files in a temporary folder. */
  stores?: (dir: string) => Promise<{
    database: Database<AgentDatabase>;
    checkpointer: Checkpointer;
    authorizer: Authorizer;
  }>;
}

/** The whole agent service on 127.0.0.1 with real stores, a real authorizer and a test token issuer. */
export async function startAgent(options: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'agent-test-'));
  const stores = options.stores
    ? await options.stores(dir)
    : {
        database: createDatabase<AgentDatabase>({ sqlitePath: join(dir, 'agent.db') }),
        checkpointer: createSqliteCheckpointer(join(dir, 'checkpoints.db')),
        authorizer: await createAuthorizer({ sqlitePath: join(dir, 'authz.db') }),
      };
  const { database, checkpointer, authorizer: real } = stores;
  await migrateToLatest(database.db as unknown as Kysely<unknown>, migrations, MIGRATION_TABLE);

  let down = false;
  const guard = <T>(call: () => Promise<T>) =>
    down ? Promise.reject(new Error('authorization store unreachable')) : call();
  const authorizer: Authorizer = {
    check: (r) => guard(() => real.check(r)),
    listObjects: (r) => guard(() => real.listObjects(r)),
    write: (w, d) => guard(() => real.write(w, d)),
    ping: () => guard(() => real.ping()),
    close: () => real.close(),
  };

  const issuer = await startTestIssuer({ audience: AUDIENCE });
  const metrics = createMetrics('agent', { defaultMetrics: false });
  const agentMetrics = createAgentMetrics(metrics.registry);
  const graph = createAgentGraph({
    model: new OfflineChatModel(),
    tools: options.tools ?? createTools(),
    checkpointer: checkpointer.saver,
    maxIterations: 6,
    onUsage: ({ input, output }) => {
      agentMetrics.tokens.inc({ type: 'input' }, input);
      agentMetrics.tokens.inc({ type: 'output' }, output);
    },
  });
  const threads = createThreadStore(database.db);
  const app = createApp({
    logger: createLogger({ service: 'agent', level: 'silent' }),
    metrics,
    verifier: createTokenVerifier({
      issuer: issuer.issuer,
      audiences: [AUDIENCE],
      jwks: createJwksClient({ jwksUrl: issuer.jwksUrl }),
    }),
    authorizer,
    threads,
    runs: createRunService({
      graph,
      threads,
      metrics: agentMetrics,
      maxIterations: 6,
      timeoutMs: options.runTimeoutMs,
    }),
    probes: [{ name: 'authz', check: () => authorizer.ping() }],
    streamHeartbeatMs: options.streamHeartbeatMs,
  });
  const server = await listen(app, 0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${server.port}`,
    issuer,
    authorizer: real,
    database,
    checkpointer,
    setAuthzDown(value) {
      down = value;
    },
    async close() {
      await server.close();
      await issuer.close();
      await checkpointer.close();
      await real.close();
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
