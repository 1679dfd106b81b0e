import { randomUUID } from 'node:crypto';
import { callTool, connectMcp, textOf } from '@mcp-langgraph/testing';
import { type EdgeUnderTest, startEdge } from '../testing/harness.js';
import { connectTaskClient, type TaskClient, taskSchema } from './task-client.js';
import { TASKS_EXTENSION } from './task-state.js';

let edge: EdgeUnderTest;
let alice: TaskClient;
beforeAll(async () => {
  edge = await startEdge();
  alice = await connectTaskClient(edge.mcpUrl, edge.token({ sub: randomUUID() }));
});
afterAll(async () => {
  await alice.close();
  await edge.close();
});
afterEach(() => {
  edge.agent.runs.hold = false;
  edge.agent.runs.finish();
});

describe('the Tasks extension on chat', () => {
  it('is advertised under capabilities.extensions', () => {
    expect(alice.client.getServerCapabilities()?.extensions).toEqual({ [TASKS_EXTENSION]: {} });
  });

  it('answers a task at once, working until the background run ends, then the chat result', async () => {
    edge.agent.runs.hold = true;
    const created = await alice.callChat({ message: 'a long question' });
    expect(created.error).toBeUndefined();
    expect(created.result).toMatchObject({ resultType: 'task', status: 'working', ttlMs: null });
    const taskId = String(created.result?.taskId);
    expect(taskId).toMatch(/^[0-9a-f-]{36}\.[0-9a-f-]{36}$/);

    const polled = taskSchema.parse((await alice.get(taskId)).result);
    expect(polled.status).toBe('working');
    expect(polled.result).toBeUndefined();
    expect(polled.pollIntervalMs).toBeGreaterThan(0);

    expect(edge.agent.runs.finish()).toBe(1);
    const done = await alice.waitFor(taskId);
    expect(done.status).toBe('completed');
    expect(done.result?.content[0]?.text).toBe('You said: a long question');
    const structured = done.result?.structuredContent as { thread_id: string; answer: string };
    expect(structured.answer).toBe('You said: a long question');
    expect(taskId.startsWith(structured.thread_id)).toBe(true);
  });

  it('continues a conversation as a task, and the thread reads back through get_conversation', async () => {
    const first = await alice.waitFor(String((await alice.callChat({ message: 'one' })).result?.taskId));
    const threadId = String(first.result?.structuredContent?.thread_id);
    const second = await alice.callChat({ message: 'two', thread_id: threadId });
    const done = await alice.waitFor(String(second.result?.taskId));
    expect(done.result?.structuredContent).toEqual({ thread_id: threadId, answer: 'You said: two' });
    const conv = await callTool(alice.client, 'get_conversation', { thread_id: threadId });
    expect(textOf(conv)).toContain('assistant: You said: two');
  });

  it('cancels the agent run on tasks/cancel, and the task reads as cancelled', async () => {
    edge.agent.runs.hold = true;
    const taskId = String((await alice.callChat({ message: 'never mind' })).result?.taskId);
    const before = edge.agent.runs.cancelled;
    expect(await alice.cancel(taskId)).toEqual({ result: expect.any(Object) });
    expect(edge.agent.runs.cancelled).toBe(before + 1);
    const task = await alice.waitFor(taskId);
    expect(task.status).toBe('cancelled');
    expect(task.result).toBeUndefined();
  });

  it('acknowledges tasks/update (a chat task never asks for input)', async () => {
    const taskId = String((await alice.callChat({ message: 'update me' })).result?.taskId);
    expect((await alice.update(taskId)).error).toBeUndefined();
  });

  it("answers -32602 for a malformed id and for another user's task, whose run is left alone", async () => {
    edge.agent.runs.hold = true;
    const taskId = String((await alice.callChat({ message: 'mine' })).result?.taskId);
    const mallory = await connectTaskClient(edge.mcpUrl, edge.token({ sub: randomUUID() }));
    try {
      for (const answer of [await mallory.get(taskId), await mallory.cancel(taskId), await mallory.get('x')])
        expect(answer.error).toEqual({ code: -32602, message: expect.stringContaining('Task not found') });
      const before = edge.agent.runs.cancelled;
      await mallory.cancel(taskId);
      expect(edge.agent.runs.cancelled).toBe(before);
    } finally {
      await mallory.close();
    }
    expect(taskSchema.parse((await alice.get(taskId)).result).status).toBe('working');
  });
});

describe('without the extension declared', () => {
  let plain: TaskClient;
  beforeAll(async () => {
    plain = await connectTaskClient(edge.mcpUrl, edge.token({ sub: randomUUID() }), { declare: false });
  });
  afterAll(async () => {
    await plain.close();
  });

  it('runs chat synchronously', async () => {
    const answer = await plain.callChat({ message: 'just answer' });
    expect(answer.result).toMatchObject({ structuredContent: { answer: 'You said: just answer' } });
    expect(answer.result?.resultType).toBe('complete');
  });

  it('answers -32021 from tasks/get, tasks/cancel and tasks/update', async () => {
    const taskId = String((await alice.callChat({ message: 'for the record' })).result?.taskId);
    for (const answer of [await plain.get(taskId), await plain.cancel(taskId), await plain.update(taskId)])
      expect(answer.error?.code).toBe(-32021);
  });

  it('runs chat synchronously on the 2025 revisions, whose requests cannot declare it', async () => {
    const legacy = await connectMcp(edge.mcpUrl, edge.token({ sub: randomUUID() }), { mode: 'legacy' });
    try {
      expect(textOf(await callTool(legacy, 'chat', { message: 'old client' }))).toBe('You said: old client');
    } finally {
      await legacy.close();
    }
  });
});
