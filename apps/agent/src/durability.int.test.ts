import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, type Message } from '@langchain/langgraph-sdk';
import { createTestSchema, describeWithPostgres, TEST_DATABASE_URL } from '@mcp-langgraph/db/testing';
import { startTestIssuer, type TestIssuer } from '@mcp-langgraph/resource-server/testing';
import { type AgentProcess, freePort, startAgentProcess } from './testing/agent-process-control.js';
import { humanInput as ask, eventually } from './testing/gate.js';
import { AGENT_CLIENT, AUDIENCE, EDGE_ACTOR, testAgentEnv } from './testing/harness.js';
import { type FakeRevocationFeed, startRevocationFeed } from './testing/revocation-feed.js';

type Values = { messages: Message[] };
const text = (m: Message) => `${m.type}:${typeof m.content === 'string' ? m.content : ''}`;

/**
 * The agent as a real process, killed with SIGKILL in the middle of several runs and started
 * again on the same stores: every run ends `success` with its answer in its thread, every earlier
 * turn is intact, and no user message is lost or doubled.
 */
function sigkillSuite(
  store: () => { env: Record<string, string>; args: string[]; cleanUp(): Promise<void> },
) {
  let issuer: TestIssuer;
  let feed: FakeRevocationFeed;
  let running: AgentProcess | undefined;
  let settings: ReturnType<typeof store>;
  beforeAll(async () => {
    issuer = await startTestIssuer({ audience: AUDIENCE });
    feed = await startRevocationFeed(AGENT_CLIENT);
    settings = store();
  });
  afterAll(async () => {
    await running?.kill('SIGKILL');
    await issuer.close();
    await feed.close();
    await settings.cleanUp();
  });

  const env = () => ({ ...testAgentEnv(issuer, feed), LOG_LEVEL: 'warn', ...settings.env });
  // Every model call pauses a second: a run with a tool call is in the middle for two.
  const start = async (port: number) =>
    startAgentProcess(
      env(),
      ['--model-delay-ms', '1000', '--lease-ms', '1500', '--poll-ms', '50', ...settings.args],
      port,
    );
  const client = (url: string, sub: string) =>
    new Client({
      apiUrl: url,
      apiKey: null,
      defaultHeaders: { Authorization: `Bearer ${issuer.sign({ sub, act: { sub: EDGE_ACTOR } })}` },
      callerOptions: { maxRetries: 0 },
    });

  it('finishes every run after SIGKILL and a restart, each message once and every earlier turn intact', async () => {
    const port = await freePort();
    running = await start(port);
    const users = [1, 2, 3].map((n) => ({ n, sub: randomUUID() }));
    const threads = await Promise.all(
      users.map(async ({ n, sub }) => {
        const c = client(running!.url, sub);
        const { thread_id } = await c.threads.create();
        await c.runs.wait(thread_id, 'agent', ask(`What is ${n} + 10?`));
        return { n, sub, thread_id };
      }),
    );
    const runs = await Promise.all(
      threads.map(async (t) => {
        const c = client(running!.url, t.sub);
        const first = await c.runs.create(t.thread_id, 'agent', ask('and times 2?'));
        const queued = await c.runs.create(t.thread_id, 'agent', {
          ...ask('and minus 1?'),
          multitaskStrategy: 'enqueue',
        });
        return { ...t, runIds: [first.run_id, queued.run_id] };
      }),
    );
    // In the middle: every first run is running and its message is checkpointed (its model call
    // is paused), the second still queued.
    await Promise.all(
      runs.map(async (r) => {
        const c = client(running!.url, r.sub);
        const inThread = await eventually(
          () => c.threads.getState<Values>(r.thread_id),
          (s) => s.values.messages?.at(-1)?.content === 'and times 2?' && s.next[0] === 'agent',
        );
        expect(inThread.next).toEqual(['agent']);
        expect((await c.runs.get(r.thread_id, r.runIds[0]!)).status).toBe('running');
      }),
    );
    await running.kill('SIGKILL');

    running = await start(port);
    for (const r of runs) {
      const c = client(running.url, r.sub);
      for (const runId of r.runIds) {
        const done = await eventually(
          () => c.runs.get(r.thread_id, runId),
          (x) => x.status === 'success',
          600,
        );
        expect([runId, done.status]).toEqual([runId, 'success']);
      }
      const { values } = await c.threads.getState<Values>(r.thread_id);
      const first = 10 + r.n;
      expect(values.messages.map(text)).toEqual([
        `human:What is ${r.n} + 10?`,
        'ai:',
        `tool:${first}`,
        `ai:${r.n} + 10 = ${first}.`,
        'human:and times 2?',
        'ai:',
        `tool:${first * 2}`,
        `ai:${first} * 2 = ${first * 2}.`,
        'human:and minus 1?',
        'ai:',
        `tool:${first * 2 - 1}`,
        `ai:${first * 2} - 1 = ${first * 2 - 1}.`,
      ]);
    }
    await running.kill('SIGTERM');
    running = undefined;
  }, 120_000);
}

describe('durable runs on SQLite: SIGKILL mid-run, restart', () => {
  sigkillSuite(() => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-sigkill-'));
    return {
      env: { DATA_DIR: dir },
      args: [],
      cleanUp: async () => rmSync(dir, { recursive: true, force: true }),
    };
  });
});

describeWithPostgres('durable runs on PostgreSQL: SIGKILL mid-run, restart', () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  beforeAll(async () => {
    schema = await createTestSchema();
  });
  sigkillSuite(() => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-sigkill-pg-'));
    return {
      env: { DATA_DIR: dir, DATABASE_URL: TEST_DATABASE_URL },
      args: ['--pg-schema', schema.schema],
      cleanUp: async () => {
        await schema.drop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });
});
