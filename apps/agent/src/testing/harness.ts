import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { StructuredToolInterface } from '@langchain/core/tools';
import type { Authorizer } from '@mcp-langgraph/authz';
import { agentConfigSchema, parseConfig } from '@mcp-langgraph/config';
import type { Database } from '@mcp-langgraph/db';
import { createTestSchema, TEST_DATABASE_URL } from '@mcp-langgraph/db/testing';
import { createMetrics, listen } from '@mcp-langgraph/observability';
import { startTestIssuer, type TestIssuer } from '@mcp-langgraph/resource-server/testing';
import type { Checkpointer } from '../checkpointer.js';
import { type AgentServiceOverrides, createAgentService } from '../service.js';
import type { AgentDatabase } from '../store/threads.js';
import { type FakeRevocationFeed, startRevocationFeed } from './revocation-feed.js';

export const AUDIENCE = 'http://agent.test';
/** The client that exchanges tokens for the agent, and the only actor it accepts (`AGENT_ALLOWED_ACTORS`). */
export const EDGE_ACTOR = 'mcp-edge';
/** The agent's own client, with which it reads the revocation feed. */
export const AGENT_CLIENT = { id: 'agent-under-test', secret: 'agent-under-test-secret' };

export interface Harness {
  url: string;
  /**
   * Signs tokens as the edge's token exchange issues them: `act: { sub: 'mcp-edge' }` unless the
   * claims say otherwise (`act: undefined` for a token nobody exchanged).
   */
  issuer: TestIssuer;
  /** The revocation feed the agent polls. */
  feed: FakeRevocationFeed;
  /** The real authorizer, which answers even while the service's is switched down. */
  authorizer: Authorizer;
  database: Database<AgentDatabase>;
  checkpointer: Checkpointer;
  /** While true every authorizer call throws, as when the authorization store is down. */
  setAuthzDown(down: boolean): void;
  /**
   * Another replica of the same service: same configuration, same stores (on PostgreSQL, the
   * same schema), its own process state, worker and port. Closed by the caller (or with this).
   */
  replica(): Promise<Replica>;
  close(): Promise<void>;
}

/** A second agent process on the same stores, as another pod behind a load balancer. */
export interface Replica {
  url: string;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Tools for the graph; defaults to the real calculator and clock. */
  tools?: StructuredToolInterface[];
  /** Chat models instead of the offline one. */
  models?: BaseChatModel[];
  runTimeoutMs?: number;
  streamHeartbeatMs?: number;
  /**
   * On PostgreSQL (`TEST_DATABASE_URL`) in a throwaway schema dropped on close: threads,
   * checkpoints, tuples and the thread lock, as `DATABASE_URL` sets them up. SQLite files in a
   * temporary folder otherwise.
   */
  postgres?: boolean;
  /** `REVOCATION_POLL_MS` (10 s by default; 1 s at the least). */
  revocationPollMs?: number;
  /** `REVOCATION_MAX_STALENESS_MS` (three poll intervals by default). */
  revocationMaxStalenessMs?: number;
  /** How long a worker holds a run without a heartbeat (30 s by default). */
  runLeaseMs?: number;
  /** How often readers look for events other replicas wrote (250 ms by default). */
  pollMs?: number;
  /** More configuration variables, as the environment would give them (`AGENT_MCP_SERVERS`, …). */
  env?: Record<string, string>;
  /** How soon an unreachable downstream MCP server is tried again. */
  mcpRetry?: AgentServiceOverrides['mcpRetry'];
}

/**
 * The agent's environment against a test issuer and a fake revocation feed: the feed stands where
 * the authorization server would be reached; the keys come from the issuer.
 */
export function testAgentEnv(issuer: TestIssuer, feed: FakeRevocationFeed): Record<string, string> {
  return {
    APP_ENV: 'test',
    AGENT_PUBLIC_URL: AUDIENCE,
    AUTH_ISSUER: issuer.issuer,
    AUTH_JWKS_URL: issuer.jwksUrl,
    AUTH_INTERNAL_URL: feed.url,
    AGENT_CLIENT_ID: AGENT_CLIENT.id,
    AGENT_CLIENT_SECRET: AGENT_CLIENT.secret,
    AGENT_ALLOWED_ACTORS: EDGE_ACTOR,
  };
}

/** An authorizer that fails every call while `isDown()` says so. */
function switchable(real: Authorizer, isDown: () => boolean): Authorizer {
  const guard = <T>(call: () => Promise<T>) =>
    isDown() ? Promise.reject(new Error('authorization store unreachable')) : call();
  return {
    check: (r) => guard(() => real.check(r)),
    listObjects: (r) => guard(() => real.listObjects(r)),
    write: (w, d) => guard(() => real.write(w, d)),
    ping: () => guard(() => real.ping()),
    close: () => real.close(),
  };
}

/** `issuer` with the edge as the default actor of every token it signs. */
function exchangedBy(actor: string, issuer: TestIssuer): TestIssuer {
  return {
    ...issuer,
    sign: (claims = {}, header) => issuer.sign({ act: { sub: actor }, ...claims }, header),
  };
}

/**
 * The agent service as `main.ts` builds it (`createAgentService`), on 127.0.0.1, with a test token
 * issuer for its JWKS, a fake revocation feed where the authorization server would be, and the
 * offline model.
 */
export async function startAgent(options: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'agent-test-'));
  const issuer = await startTestIssuer({ audience: AUDIENCE });
  const feed = await startRevocationFeed(AGENT_CLIENT);
  const schema = options.postgres ? await createTestSchema() : undefined;
  const cleanUp = async () => {
    await issuer.close();
    await feed.close();
    await schema?.drop();
    rmSync(dir, { recursive: true, force: true });
  };
  let down = false;
  try {
    const config = parseConfig(agentConfigSchema, {
      ...testAgentEnv(issuer, feed),
      LOG_LEVEL: 'silent',
      DATA_DIR: dir,
      ...(options.revocationPollMs ? { REVOCATION_POLL_MS: String(options.revocationPollMs) } : {}),
      ...(options.revocationMaxStalenessMs
        ? { REVOCATION_MAX_STALENESS_MS: String(options.revocationMaxStalenessMs) }
        : {}),
      ...(schema ? { DATABASE_URL: TEST_DATABASE_URL } : {}),
      ...options.env,
    });
    const start = async () => {
      const service = await createAgentService(config, {
        metrics: createMetrics('agent', { defaultMetrics: false }),
        tools: options.tools,
        ...(options.models ? { models: options.models } : {}),
        runTimeoutMs: options.runTimeoutMs,
        streamHeartbeatMs: options.streamHeartbeatMs,
        runLeaseMs: options.runLeaseMs,
        pollMs: options.pollMs,
        mcpRetry: options.mcpRetry,
        postgresSchema: schema?.schema,
        wrapAuthorizer: (real) => switchable(real, () => down),
      });
      const server = await listen(service.app, 0, '127.0.0.1').catch(async (err: unknown) => {
        await service.close();
        throw err;
      });
      return { service, server };
    };
    const { service, server } = await start();
    const replicas: Replica[] = [];
    return {
      url: `http://127.0.0.1:${server.port}`,
      issuer: exchangedBy(EDGE_ACTOR, issuer),
      feed,
      authorizer: service.authorizer,
      database: service.database,
      checkpointer: service.checkpointer,
      setAuthzDown(value) {
        down = value;
      },
      async replica() {
        const other = await start();
        let closed = false;
        const replica: Replica = {
          url: `http://127.0.0.1:${other.server.port}`,
          async close() {
            if (closed) return;
            closed = true;
            await other.server.close();
            await other.service.close();
          },
        };
        replicas.push(replica);
        return replica;
      },
      async close() {
        for (const replica of replicas) await replica.close();
        await server.close();
        await service.close();
        await cleanUp();
      },
    };
  } catch (err) {
    await cleanUp();
    throw err;
  }
}
