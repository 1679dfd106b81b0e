import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AgentConfig,
  agentConfigSchema,
  createLiveConfig,
  type LiveConfigSource,
  parseConfig,
} from '@mcp-langgraph/config';
import { createLogger, createMetrics, listen } from '@mcp-langgraph/observability';
import { userMessageRun as ask } from '@mcp-langgraph/protocol';
import { startTestIssuer, type TestIssuer } from '@mcp-langgraph/resource-server/testing';
import { captureLines } from '@mcp-langgraph/testing';
import { type AgentService, createAgentService } from './service.js';
import { AGENT_CLIENT, AUDIENCE, EDGE_ACTOR, testAgentEnv } from './testing/harness.js';
import { type FakeLlm, startFakeOpenAi } from './testing/llm/index.js';
import { type FakeRevocationFeed, startRevocationFeed } from './testing/revocation-feed.js';
import { type FakeTavily, startFakeTavily } from './testing/tavily.js';

const KEY_OLD = 'sk-before-rotation-0000';
const KEY_NEW = 'sk-after-rotation-1111';
const FEED_SECRET_NEW = 'agent-client-after-9876543210';

describe('secrets rotated while the agent runs', () => {
  const logs = captureLines();
  const { lines } = logs;
  const dir = mkdtempSync(join(tmpdir(), 'agent-rotation-'));
  let issuer: TestIssuer;
  let feed: FakeRevocationFeed;
  let llm: FakeLlm;
  let tavily: FakeTavily;
  let live: LiveConfigSource<AgentConfig>;
  let service: AgentService;
  let server: Awaited<ReturnType<typeof listen>>;
  let env: Record<string, string>;
  const metrics = createMetrics('agent', { defaultMetrics: false });

  beforeAll(async () => {
    issuer = await startTestIssuer({ audience: AUDIENCE });
    // The feed knows only the agent's next secret: until the rotation the agent's fetches are refused.
    feed = await startRevocationFeed({ id: AGENT_CLIENT.id, secret: FEED_SECRET_NEW });
    // The provider already holds the new key: requests with the old one are answered 401.
    tavily = await startFakeTavily();
    llm = await startFakeOpenAi({ key: KEY_NEW, script: () => ({ kind: 'text', text: 'Hello there.' }) });
    env = {
      ...testAgentEnv(issuer, feed),
      DATA_DIR: dir,
      AGENT_DOCS_DIR: '',
      REVOCATION_POLL_MS: '1000',
      REVOCATION_MAX_STALENESS_MS: '600000',
      LLM_MODEL: 'openai:gpt-4.1-mini',
      LLM_MAX_RETRIES: '0',
      OPENAI_API_KEY: KEY_OLD,
      OPENAI_BASE_URL: `${llm.url}/v1`,
      TAVILY_BASE_URL: tavily.url,
    };
    const config = parseConfig(agentConfigSchema, env);
    live = createLiveConfig(config);
    service = await createAgentService(config, {
      live,
      metrics,
      logger: createLogger({
        service: 'agent',
        destination: logs.stream,
      }),
    });
    server = await listen(service.app, 0, '127.0.0.1');
  });
  afterAll(async () => {
    await server.close();
    await service.close();
    await Promise.all([issuer.close(), feed.close(), llm.close(), tavily.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  async function rotate(secrets: Record<string, string>) {
    env = { ...env, ...secrets };
    live.publish(Object.keys(secrets), parseConfig(agentConfigSchema, env));
    await service.rotationsSettled();
  }
  async function chat(): Promise<{ status: number; body: Record<string, unknown> }> {
    const bearer = {
      authorization: `Bearer ${issuer.sign({ sub: randomUUID(), act: { sub: EDGE_ACTOR } })}`,
    };
    const url = `http://127.0.0.1:${server.port}`;
    const thread = (await (
      await fetch(`${url}/threads`, {
        method: 'POST',
        headers: { ...bearer, 'content-type': 'application/json' },
        body: '{}',
      })
    ).json()) as { thread_id: string };
    const res = await fetch(`${url}/threads/${thread.thread_id}/runs/wait`, {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify(ask('Say hello.')),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  const lastAnswer = (body: Record<string, unknown>) =>
    (body.messages as Array<{ content: unknown }> | undefined)?.at(-1)?.content;

  it('OPENAI_API_KEY: the next run uses a client built with the new key', async () => {
    const before = await chat();
    expect(lastAnswer(before.body)).not.toBe('Hello there.');
    expect(llm.requests.at(-1)?.auth).toBe('wrong');
    await rotate({ OPENAI_API_KEY: KEY_NEW });
    const after = await chat();
    expect(after.status).toBe(200);
    expect(lastAnswer(after.body)).toBe('Hello there.');
    expect(llm.requests.at(-1)?.auth).toBe('ok');
  });

  it('TAVILY_API_KEY: web_search is offered from the next run once a key is set', async () => {
    expect(llm.requests.at(-1)?.tools).not.toContain('web_search');
    await rotate({ TAVILY_API_KEY: 'tvly-after-rotation-2222' });
    await chat();
    expect(llm.requests.at(-1)?.tools).toContain('web_search');
  });

  it('AGENT_CLIENT_SECRET: the revocation feed is read with the new secret', async () => {
    await rotate({ AGENT_CLIENT_SECRET: FEED_SECRET_NEW });
    // Answered only to the new secret: the next poll (every second) is.
    await feed.nextFetch();
  });

  it('names what takes effect at the next restart, and never logs a value', async () => {
    await rotate({ AGENT_MCP_SERVERS: '[]' });
    const log = lines.join('');
    expect(log).toContain(
      '"secrets":["AGENT_MCP_SERVERS"],"msg":"AGENT_MCP_SERVERS changed; it takes effect at the next restart"',
    );
    for (const name of ['OPENAI_API_KEY', 'TAVILY_API_KEY', 'AGENT_CLIENT_SECRET'])
      expect(log).toContain(`"secrets":["${name}"],"msg":"rotated secret applied without a restart"`);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(
      /^config_secret_rotations_total\{secret="OPENAI_API_KEY",outcome="applied"[^}]*\} 1$/m,
    );
    expect(text).toMatch(
      /^config_secret_rotations_total\{secret="AGENT_MCP_SERVERS",outcome="restart_required"[^}]*\} 1$/m,
    );
    for (const value of [KEY_OLD, KEY_NEW, FEED_SECRET_NEW, 'tvly-after-rotation-2222'])
      expect(log).not.toContain(value);
  });
});
