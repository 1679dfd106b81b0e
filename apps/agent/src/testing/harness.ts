import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StructuredToolInterface } from '@langchain/core/tools';
import type { Authorizer } from '@mcp-langgraph/authz';
import { agentConfigSchema, parseConfig } from '@mcp-langgraph/config';
import type { Database } from '@mcp-langgraph/db';
import { createTestSchema, TEST_DATABASE_URL } from '@mcp-langgraph/db/testing';
import { createMetrics, listen } from '@mcp-langgraph/observability';
import { startTestIssuer, type TestIssuer } from '@mcp-langgraph/resource-server/testing';
import type { Checkpointer } from '../checkpointer.js';
import { createAgentService } from '../service.js';
import type { AgentDatabase } from '../store/threads.js';

export const AUDIENCE = 'http://agent.test';

export interface Harness {
  url: string;
  issuer: TestIssuer;
  /** The real authorizer, which answers even while the service's is switched down. */
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
  /**
   * On PostgreSQL (`TEST_DATABASE_URL`) in a throwaway schema dropped on close: threads,
   * checkpoints, tuples and the thread lock, as `DATABASE_URL` sets them up. SQLite files in a
   * temporary folder otherwise.
   */
  postgres?: boolean;
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

/**
 * The agent service as `main.ts` builds it (`createAgentService`), on 127.0.0.1, with a test token
 * issuer for its JWKS and the offline model.
 */
export async function startAgent(options: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'agent-test-'));
  const issuer = await startTestIssuer({ audience: AUDIENCE });
  const schema = options.postgres ? await createTestSchema() : undefined;
  const cleanUp = async () => {
    await issuer.close();
    await schema?.drop();
    rmSync(dir, { recursive: true, force: true });
  };
  let down = false;
  try {
    const config = parseConfig(agentConfigSchema, {
      APP_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: dir,
      AGENT_PUBLIC_URL: AUDIENCE,
      AUTH_ISSUER: issuer.issuer,
      AUTH_JWKS_URL: issuer.jwksUrl,
      ...(schema ? { DATABASE_URL: TEST_DATABASE_URL } : {}),
    });
    const service = await createAgentService(config, {
      metrics: createMetrics('agent', { defaultMetrics: false }),
      tools: options.tools,
      runTimeoutMs: options.runTimeoutMs,
      streamHeartbeatMs: options.streamHeartbeatMs,
      postgresSchema: schema?.schema,
      wrapAuthorizer: (real) => switchable(real, () => down),
    });
    const server = await listen(service.app, 0, '127.0.0.1').catch(async (err: unknown) => {
      await service.close();
      throw err;
    });
    return {
      url: `http://127.0.0.1:${server.port}`,
      issuer,
      authorizer: service.authorizer,
      database: service.database,
      checkpointer: service.checkpointer,
      setAuthzDown(value) {
        down = value;
      },
      async close() {
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
