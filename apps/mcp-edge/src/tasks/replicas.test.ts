import { randomUUID } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAuthorizer } from '@mcp-langgraph/authz';
import { edgeConfigSchema, parseConfig } from '@mcp-langgraph/config';
import { createLogger, createMetrics, listen } from '@mcp-langgraph/observability';
import { startTestIssuer, type TestIssuer } from '@mcp-langgraph/resource-server/testing';
import { callTool, connectMcp, textOf } from '@mcp-langgraph/testing';
import { createEdgeService, type EdgeService } from '../service.js';
import {
  type FakeAgent,
  type FakeTokenEndpoint,
  startFakeAgent,
  startFakeTokenEndpoint,
} from '../testing/fakes.js';
import { AGENT_AUDIENCE, MCP_RESOURCE, PUBLIC_URL } from '../testing/harness.js';
import { legacyTaskClient } from './legacy-client.js';
import { connectTaskClient } from './task-client.js';

/**
 * Two edge replicas with nothing shared but the agent and the auth service, behind a round-robin
 * proxy: each request goes to the next live replica, as a load balancer without affinity sends it.
 */
interface Replica {
  name: string;
  service: EdgeService;
  server: { port: number; close(): Promise<void> };
  up: boolean;
}

let issuer: TestIssuer;
let agent: FakeAgent;
let tokens: FakeTokenEndpoint;
let replicas: Replica[];
let proxy: Server;
let mcpUrl: string;
/** Which replica answered each MCP request, by its JSON-RPC method. */
const served: Array<{ method: string; replica: string }> = [];

async function startReplica(name: string): Promise<Replica> {
  const config = parseConfig(edgeConfigSchema, {
    APP_ENV: 'test',
    LOG_LEVEL: 'silent',
    BIND_HOST: '127.0.0.1',
    EDGE_PUBLIC_URL: PUBLIC_URL,
    AUTH_ISSUER: issuer.issuer,
    AUTH_INTERNAL_URL: tokens.baseUrl,
    AUTH_JWKS_URL: issuer.jwksUrl,
    AGENT_URL: agent.url,
    AGENT_PUBLIC_URL: AGENT_AUDIENCE,
    EDGE_CLIENT_ID: 'mcp-edge',
    EDGE_CLIENT_SECRET: 'edge-test-secret-0123456789',
  });
  const metrics = createMetrics('mcp-edge', { defaultMetrics: false });
  const service = await createEdgeService(config, {
    logger: createLogger({ service: 'mcp-edge', level: 'silent' }),
    metrics,
    authorizer: await createAuthorizer({ sqlitePath: ':memory:', registry: metrics.registry }),
  });
  return { name, service, server: await listen(service.app, 0, '127.0.0.1'), up: true };
}

let turn = 0;
function roundRobin(): Server {
  return createServer((req, res) => {
    const live = replicas.filter((r) => r.up);
    const target = live[turn++ % live.length];
    if (!target) {
      res.statusCode = 502;
      return res.end();
    }
    const upstream = request(
      {
        host: '127.0.0.1',
        port: target.server.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    // Recorded by the JSON-RPC method: the 2025 revisions send no `Mcp-Method` header.
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const method = (() => {
        try {
          return (JSON.parse(body.toString('utf8')) as { method?: unknown }).method;
        } catch {
          return undefined;
        }
      })();
      if (typeof method === 'string') served.push({ method, replica: target.name });
      upstream.end(body);
    });
  });
}

beforeAll(async () => {
  issuer = await startTestIssuer({ audience: MCP_RESOURCE });
  agent = await startFakeAgent({ audience: AGENT_AUDIENCE });
  tokens = await startFakeTokenEndpoint({
    issuer,
    clientId: 'mcp-edge',
    clientSecret: 'edge-test-secret-0123456789',
    agentAudience: AGENT_AUDIENCE,
  });
  replicas = [await startReplica('a'), await startReplica('b')];
  proxy = roundRobin();
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  mcpUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}/mcp`;
});
afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise<void>((r) => proxy.close(() => r()));
  for (const r of replicas) {
    if (r.up) await r.server.close();
    await r.service.close();
  }
  await Promise.all([issuer.close(), agent.close(), tokens.close()]);
});

describe('two edge replicas behind a round-robin proxy', () => {
  const user = randomUUID();

  it('hold one conversation: each message may land on either replica', async () => {
    const client = await connectMcp(mcpUrl, issuer.sign({ sub: user }));
    try {
      const from = served.length;
      const first = await callTool(client, 'chat', { message: 'first' });
      const threadId = String((first.structuredContent as { thread_id?: string } | undefined)?.thread_id);
      await callTool(client, 'chat', { message: 'second', thread_id: threadId });
      const conv = await callTool(client, 'get_conversation', { thread_id: threadId });
      expect(textOf(conv)).toContain('assistant: You said: second');
      const calls = served.slice(from).filter((s) => s.method === 'tools/call');
      expect(new Set(calls.map((c) => c.replica))).toEqual(new Set(['a', 'b']));
    } finally {
      await client.close();
    }
  });

  it('hold one task: created on one replica, read and finished on the other, even once the first is gone', async () => {
    agent.runs.hold = true;
    const client = await connectTaskClient(mcpUrl, issuer.sign({ sub: user }));
    try {
      const from = served.length;
      const created = await client.callChat({ message: 'a long one' });
      const taskId = String(created.result?.taskId);
      const creator = served.slice(from).find((s) => s.method === 'tools/call')?.replica;
      expect(creator).toBeDefined();
      // Take the creating replica out, as a restart or scale-down would.
      const first = replicas.find((r) => r.name === creator)!;
      first.up = false;
      await first.server.close();
      expect((await client.get(taskId)).result).toMatchObject({ status: 'working' });
      agent.runs.finish();
      const done = await client.waitFor(taskId);
      expect(done.result?.structuredContent).toMatchObject({ answer: 'You said: a long one' });
      const readers = served.slice(from).filter((s) => s.method === 'tasks/get');
      expect(readers.length).toBeGreaterThan(0);
      for (const r of readers) expect(r.replica).not.toBe(creator);
    } finally {
      agent.runs.hold = false;
      await client.close();
    }
  });

  it('hold one 2025-11-25 task: created on one replica, waited for and listed on the other', async () => {
    for (const r of replicas.filter((r) => !r.up)) {
      r.server = await listen(r.service.app, 0, '127.0.0.1');
      r.up = true;
    }
    agent.runs.hold = true;
    try {
      const client = legacyTaskClient(mcpUrl, issuer.sign({ sub: user }));
      const from = served.length;
      const taskId = String((await client.callChat({ message: 'an old client' })).result?.task?.taskId);
      const creator = served.slice(from).find((s) => s.method === 'tools/call')?.replica;
      const first = replicas.find((r) => r.name === creator)!;
      first.up = false;
      await first.server.close();
      const waiting = client.result(taskId);
      for (let i = 0; i < 200 && agent.runs.joinsWaiting === 0; i += 1) await sleep(10);
      agent.runs.finish();
      expect((await waiting).result?.structuredContent).toMatchObject({ answer: 'You said: an old client' });
      const listed = (await client.list()).result?.tasks.map((t: { taskId: string }) => t.taskId);
      expect(listed).toContain(taskId);
      const readers = served.slice(from).filter((s) => s.method.startsWith('tasks/'));
      expect(readers.map((r) => r.method)).toEqual(['tasks/result', 'tasks/list']);
      for (const r of readers) expect(r.replica).not.toBe(creator);
    } finally {
      agent.runs.hold = false;
    }
  });
});
