import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type EdgeUnderTest, startEdge } from '../testing/harness.js';
import { postModern } from '../testing/revisions.js';
import { legacyInitialize, legacyRpc, legacyTaskClient } from './legacy-client.js';
import { connectTaskClient, taskSchema } from './task-client.js';
import { THREADS_PER_PAGE } from './task-list.js';
import { TASKS_EXTENSION } from './task-state.js';

let edge: EdgeUnderTest;
let aliceToken: string;
let alice: ReturnType<typeof legacyTaskClient>;
beforeAll(async () => {
  edge = await startEdge();
  aliceToken = edge.token({ sub: randomUUID() });
  alice = legacyTaskClient(edge.mcpUrl, aliceToken);
});
afterAll(async () => {
  await edge.close();
});
afterEach(() => {
  edge.agent.runs.hold = false;
  edge.agent.runs.finish();
});

/** Waits (bounded) until the fake agent holds `n` joins open. */
async function untilJoins(n: number) {
  for (let i = 0; i < 200 && edge.agent.runs.joinsWaiting !== n; i += 1) await sleep(10);
  expect(edge.agent.runs.joinsWaiting).toBe(n);
}

async function heldTask(message: string): Promise<string> {
  edge.agent.runs.hold = true;
  const created = await alice.callChat({ message });
  expect(created.error).toBeUndefined();
  return String(created.result?.task?.taskId);
}

describe('2025-11-25 tasks: negotiation', () => {
  it('declares the tasks capability in initialize at 2025-11-25 only', async () => {
    const at = await legacyInitialize(edge.mcpUrl, aliceToken);
    expect(at.result?.capabilities.tasks).toEqual({
      list: {},
      cancel: {},
      requests: { tools: { call: {} } },
    });
    for (const revision of ['2025-06-18', '2025-03-26']) {
      const older = await legacyInitialize(edge.mcpUrl, aliceToken, revision);
      expect(older.result?.protocolVersion).toBe(revision);
      expect(older.result?.capabilities.tasks).toBeUndefined();
    }
    const discover = await postModern(edge.mcpUrl, aliceToken, 'server/discover');
    expect(discover.body.result?.capabilities).not.toHaveProperty('tasks');
  });

  it('marks chat, and only chat, taskSupport optional in tools/list at 2025-11-25', async () => {
    const tools = (await legacyRpc(edge.mcpUrl, aliceToken, 'tools/list')).result?.tools as Array<{
      name: string;
      execution?: unknown;
    }>;
    expect(tools.find((t) => t.name === 'chat')?.execution).toEqual({ taskSupport: 'optional' });
    expect(tools.filter((t) => t.execution !== undefined).map((t) => t.name)).toEqual(['chat']);
    const older = await legacyRpc(edge.mcpUrl, aliceToken, 'tools/list', {}, { revision: '2025-06-18' });
    expect(older.result?.tools.find((t: { name: string }) => t.name === 'chat').execution).toBeUndefined();
  });

  it('ignores params.task on 2025-06-18 (no tasks there) and answers chat synchronously', async () => {
    const answer = await legacyRpc(
      edge.mcpUrl,
      aliceToken,
      'tools/call',
      { name: 'chat', arguments: { message: 'old' }, task: {} },
      { revision: '2025-06-18' },
    );
    expect(answer.result?.structuredContent).toMatchObject({ answer: 'You said: old' });
  });

  it('answers -32601 for a task-augmented call of a tool without task support', async () => {
    const answer = await legacyRpc(edge.mcpUrl, aliceToken, 'tools/call', {
      name: 'list_conversations',
      arguments: {},
      task: {},
    });
    expect(answer.error?.code).toBe(-32601);
  });

  it('answers -32601 for tasks/* on 2025-06-18, and for tasks/result and tasks/list on 2026-07-28', async () => {
    const taskId = await heldTask('elsewhere');
    for (const method of ['tasks/get', 'tasks/result', 'tasks/list', 'tasks/cancel']) {
      const answer = await legacyRpc(edge.mcpUrl, aliceToken, method, { taskId }, { revision: '2025-06-18' });
      expect(answer.error?.code).toBe(-32601);
    }
    const declared = {
      'io.modelcontextprotocol/clientCapabilities': { extensions: { [TASKS_EXTENSION]: {} } },
    };
    for (const method of ['tasks/result', 'tasks/list']) {
      for (const _meta of [declared, {}]) {
        const modern = await postModern(edge.mcpUrl, aliceToken, method, { taskId, _meta });
        expect(modern.body.error?.code).toBe(-32601);
      }
    }
    expect(edge.agent.runs.cancelled).toBe(0);
  });
});

describe('2025-11-25 tasks: a task-augmented chat', () => {
  it('answers CreateTaskResult at once, tasks/get working, and tasks/result once the run ends', async () => {
    const held = await heldTask('a long question');
    const task = (await alice.get(held)).result;
    expect(task).toMatchObject({ taskId: held, status: 'working', ttl: null, pollInterval: 1000 });
    expect(task).not.toHaveProperty('result');
    expect(task).not.toHaveProperty('resultType');

    const waiting = alice.result(held);
    await untilJoins(1);
    expect(edge.agent.runs.finish()).toBe(1);
    const answer = await waiting;
    expect(answer.result?.structuredContent).toMatchObject({ answer: 'You said: a long question' });
    expect(answer.result?._meta).toEqual({ 'io.modelcontextprotocol/related-task': { taskId: held } });
    expect(answer.notifications).toEqual([
      {
        jsonrpc: '2.0',
        method: 'notifications/tasks/status',
        params: expect.objectContaining({ taskId: held, status: 'completed' }),
      },
    ]);
    expect((await alice.get(held)).result?.status).toBe('completed');
  });

  it("creates the task with the revision's fields and a hint for the model", async () => {
    const created = (await alice.callChat({ message: 'shape' })).result;
    expect(created?.task).toEqual({
      taskId: expect.stringMatching(/^[0-9a-f-]{36}\.[0-9a-f-]{36}$/),
      status: 'working',
      statusMessage: expect.any(String),
      createdAt: expect.any(String),
      lastUpdatedAt: expect.any(String),
      ttl: null,
      pollInterval: 1000,
    });
    expect(created?._meta?.['io.modelcontextprotocol/model-immediate-response']).toEqual(expect.any(String));
  });

  it('uses the same task ids as 2026-07-28: the extension reads a 2025-11-25 task', async () => {
    const taskId = String((await alice.callChat({ message: 'shared id' })).result?.task?.taskId);
    const modern = await connectTaskClient(edge.mcpUrl, aliceToken);
    try {
      const done = await modern.waitFor(taskId);
      expect(taskSchema.parse(done).result?.structuredContent).toMatchObject({
        answer: 'You said: shared id',
      });
    } finally {
      await modern.close();
    }
  });

  it('reads a failed run as failed, and tasks/result answers the tool error chat would have', async () => {
    const taskId = await heldTask('doomed');
    edge.agent.runs.finish('error');
    expect((await alice.get(taskId)).result?.status).toBe('failed');
    const answer = await alice.result(taskId);
    expect(answer.result).toMatchObject({
      isError: true,
      content: [{ type: 'text', text: expect.any(String) }],
    });
    expect(JSON.stringify(answer.result)).not.toContain('internal detail');
  });

  it('stops waiting in tasks/result when its client hangs up, and leaves the run going', async () => {
    const taskId = await heldTask('patience');
    const hangUp = new AbortController();
    const waiting = alice.result(taskId, hangUp.signal).catch((err: Error) => err.name);
    await untilJoins(1);
    hangUp.abort();
    expect(await waiting).toBe('AbortError');
    await untilJoins(0);
    expect((await alice.get(taskId)).result?.status).toBe('working');
    expect(edge.agent.runs.cancelled).toBe(0);
  });
});

describe('2025-11-25 tasks: the tool-call gate', () => {
  it('refuses a caller without the chat grant with -32600, creating no run', async () => {
    // Machine clients hold no executor grant on chat unless one is written for them.
    const machine = legacyTaskClient(edge.mcpUrl, edge.token({ sub: 'nightly-report', sub_type: 'client' }));
    const calls = edge.agent.tokensSeen.length;
    const refused = await machine.callChat({ message: 'not mine to ask' });
    expect(edge.agent.tokensSeen.length).toBe(calls);
    expect(refused.error).toEqual({ code: -32600, message: expect.stringContaining('not allowed') });
    expect(refused.result).toBeUndefined();
  });
});

describe('2025-11-25 tasks: cancel', () => {
  it('cancels the run and answers the task as cancelled; a second cancel is -32602', async () => {
    const taskId = await heldTask('never mind');
    const before = edge.agent.runs.cancelled;
    const cancelled = await alice.cancel(taskId);
    expect(cancelled.result).toMatchObject({ taskId, status: 'cancelled', ttl: null });
    expect(edge.agent.runs.cancelled).toBe(before + 1);
    expect((await alice.get(taskId)).result?.status).toBe('cancelled');
    const again = await alice.cancel(taskId);
    expect(again.error).toEqual({ code: -32602, message: expect.stringContaining('terminal status') });
  });

  it("answers -32602 for another user's task and an unknown one, and leaves the run alone", async () => {
    const taskId = await heldTask('mine');
    const mallory = legacyTaskClient(edge.mcpUrl, edge.token({ sub: randomUUID() }));
    const before = edge.agent.runs.cancelled;
    for (const answer of [
      await mallory.get(taskId),
      await mallory.result(taskId),
      await mallory.cancel(taskId),
      await alice.get('not-a-task'),
    ])
      expect(answer.error).toEqual({ code: -32602, message: expect.stringContaining('Task not found') });
    expect(edge.agent.runs.cancelled).toBe(before);
    expect((await alice.get(taskId)).result?.status).toBe('working');
  });
});

describe('2025-11-25 tasks: tasks/list', () => {
  it("lists the caller's tasks newest first, not their synchronous chats nor anyone else's", async () => {
    const token = edge.token({ sub: randomUUID() });
    const bob = legacyTaskClient(edge.mcpUrl, token);
    const first = String((await bob.callChat({ message: 'one' })).result?.task?.taskId);
    const second = String((await bob.callChat({ message: 'two' })).result?.task?.taskId);
    await legacyRpc(edge.mcpUrl, token, 'tools/call', { name: 'chat', arguments: { message: 'sync' } });
    const listed = (await bob.list()).result;
    expect(listed?.tasks.map((t: { taskId: string }) => t.taskId)).toEqual([second, first]);
    expect(listed?.tasks[0]).toMatchObject({ status: 'completed', ttl: null, pollInterval: 1000 });
    expect(listed?.nextCursor).toBeUndefined();
    const theirs = (await alice.list()).result?.tasks.map((t: { taskId: string }) => t.taskId);
    expect(theirs).not.toContain(first);
  });

  it('pages through conversations with an opaque cursor, and refuses one it did not write', async () => {
    const token = edge.token({ sub: randomUUID() });
    const carol = legacyTaskClient(edge.mcpUrl, token);
    const ids = new Set<string>();
    for (let i = 0; i <= THREADS_PER_PAGE; i += 1)
      ids.add(String((await carol.callChat({ message: `task ${i}` })).result?.task?.taskId));
    const page1 = (await carol.list()).result;
    expect(page1?.nextCursor).toEqual(expect.any(String));
    const page2 = (await carol.list(page1?.nextCursor)).result;
    const seen = [...(page1?.tasks ?? []), ...(page2?.tasks ?? [])].map((t: { taskId: string }) => t.taskId);
    expect(new Set(seen)).toEqual(ids);
    expect(seen).toHaveLength(ids.size);
    // Someone else's cursor is only a position among their own conversations.
    const other = (await alice.list(page1?.nextCursor)).result?.tasks ?? [];
    expect(other.filter((t: { taskId: string }) => ids.has(t.taskId))).toEqual([]);
    for (const bad of ['garbage!', Buffer.from('{"v":1,"offset":-1}').toString('base64url'), 'eyJ9'])
      expect((await carol.list(bad)).error?.code).toBe(-32602);
  });
});
