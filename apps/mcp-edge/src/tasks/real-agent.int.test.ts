import { randomUUID } from 'node:crypto';
import { createAuthorizer } from '@mcp-langgraph/authz';
import { edgeConfigSchema, parseConfig } from '@mcp-langgraph/config';
import { createLogger, createMetrics, listen } from '@mcp-langgraph/observability';
import { AGENT_PATHS, type ApiRun, type ApiThread, type ThreadState } from '@mcp-langgraph/protocol';
import { connectMcp } from '@mcp-langgraph/testing';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { OfflineChatModel } from '../../../agent/src/model/offline.js';
import { AUDIENCE, type Harness, startAgent } from '../../../agent/src/testing/harness.js';
import { createEdgeService, type EdgeService } from '../service.js';
import { type FakeTokenEndpoint, startFakeTokenEndpoint } from '../testing/fakes.js';
import { MCP_RESOURCE, PUBLIC_URL } from '../testing/harness.js';
import { connectTaskClient } from './task-client.js';

/**
 * The edge in front of the real agent (its service as `main.ts` builds it, with the offline model
 * slowed down so a run can be caught half-way): a caller who goes away takes the run with them,
 * while a task's run outlives the connection that started it.
 */
const EDGE = { id: 'mcp-edge', secret: 'edge-test-secret-0123456789' };
/** Each model turn of the offline model waits this long: a calculator question takes two. */
const MODEL_DELAY_MS = 1500;

let agent: Harness;
let tokens: FakeTokenEndpoint;
let edge: EdgeService;
let server: { port: number; close(): Promise<void> };
let mcpUrl: string;

beforeAll(async () => {
  agent = await startAgent({ models: [new OfflineChatModel({ delayMs: MODEL_DELAY_MS })] });
  tokens = await startFakeTokenEndpoint({
    issuer: agent.issuer,
    clientId: EDGE.id,
    clientSecret: EDGE.secret,
    agentAudience: AUDIENCE,
  });
  const config = parseConfig(edgeConfigSchema, {
    APP_ENV: 'test',
    LOG_LEVEL: 'silent',
    BIND_HOST: '127.0.0.1',
    EDGE_PUBLIC_URL: PUBLIC_URL,
    AUTH_ISSUER: agent.issuer.issuer,
    AUTH_INTERNAL_URL: tokens.baseUrl,
    AUTH_JWKS_URL: agent.issuer.jwksUrl,
    AGENT_URL: agent.url,
    AGENT_PUBLIC_URL: AUDIENCE,
    EDGE_CLIENT_ID: EDGE.id,
    EDGE_CLIENT_SECRET: EDGE.secret,
  });
  const metrics = createMetrics('mcp-edge', { defaultMetrics: false });
  edge = await createEdgeService(config, {
    logger: createLogger({ service: 'mcp-edge', level: 'silent' }),
    metrics,
    authorizer: await createAuthorizer({ sqlitePath: ':memory:', registry: metrics.registry }),
  });
  server = await listen(edge.app, 0, '127.0.0.1');
  mcpUrl = `http://127.0.0.1:${server.port}/mcp`;
}, 60_000);
afterAll(async () => {
  await server?.close();
  await edge?.close();
  await tokens?.close();
  await agent?.close();
});

/** A user's token for the edge (nobody exchanged it, so no `act`). */
const userToken = (sub: string) => agent.issuer.sign({ sub, aud: MCP_RESOURCE, act: undefined });

/** The agent's API as the edge reaches it, with a token exchanged for `sub`. */
async function agentApi<T>(sub: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${agent.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${agent.issuer.sign({ sub })}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}`);
  return (await res.json()) as T;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 300; i += 1) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('the edge in front of the real agent', () => {
  it('cancels the agent run when the caller cancels a chat, and the thread keeps its last step', async () => {
    const user = randomUUID();
    const client = await connectMcp(mcpUrl, userToken(user));
    const stop = new AbortController();
    const call = client
      .callTool(
        { name: 'chat', arguments: { message: 'What is 17 * 23?' } },
        {
          signal: stop.signal,
          // Once the calculator has answered the model is writing the answer: cancel then.
          onprogress: (p) => {
            if (p.message === 'calculator answered') stop.abort('changed my mind');
          },
        },
      )
      .then(
        (r) => r as CallToolResult,
        (err: Error) => err,
      );
    expect(await call).toBeInstanceOf(Error);
    await client.close();

    const [thread] = await agentApi<ApiThread[]>(user, 'POST', AGENT_PATHS.searchThreads, {});
    expect(thread).toBeDefined();
    const threadId = thread!.thread_id;
    const run = await until('the run to stop', async () => {
      const [r] = await agentApi<ApiRun[]>(user, 'GET', AGENT_PATHS.runs(threadId));
      return r && r.status !== 'pending' && r.status !== 'running' ? r : undefined;
    });
    // Cancelled, not left to finish: an abandoned run would end in success with the answer.
    expect(run.status).toBe('interrupted');
    const state = await agentApi<ThreadState>(user, 'GET', AGENT_PATHS.state(threadId));
    const messages = state.values.messages ?? [];
    expect(messages.map((m) => m.type)).toEqual(['human', 'ai', 'tool']);
    expect(String(messages[2]?.content)).toContain('391');
  }, 30_000);

  it('keeps a task running after its client goes away, and any later client reads the answer', async () => {
    const user = randomUUID();
    const first = await connectTaskClient(mcpUrl, userToken(user));
    const created = await first.callChat({ message: 'What is 17 * 23?' });
    await first.close();
    const taskId = String(created.result?.taskId);
    expect(created.result).toMatchObject({ resultType: 'task', status: 'working' });

    const later = await connectTaskClient(mcpUrl, userToken(user));
    try {
      const done = await later.waitFor(taskId);
      expect(done.status).toBe('completed');
      expect(done.result?.content[0]?.text).toContain('391');
    } finally {
      await later.close();
    }
  }, 30_000);

  it('stops the run on tasks/cancel: the task reads as cancelled', async () => {
    const user = randomUUID();
    const client = await connectTaskClient(mcpUrl, userToken(user));
    try {
      const taskId = String((await client.callChat({ message: 'What is 6 * 7?' })).result?.taskId);
      expect((await client.cancel(taskId)).error).toBeUndefined();
      const task = await client.waitFor(taskId);
      expect(task.status).toBe('cancelled');
    } finally {
      await client.close();
    }
  }, 30_000);
});
