import { randomUUID } from 'node:crypto';
import type { Message } from '@langchain/langgraph-sdk';
import { humanInput as ask } from '../testing/gate.js';
import { useAgent } from '../testing/setup.js';

const { agent, sdk } = useAgent();

const texts = (messages: Message[]) =>
  messages.map((m) => `${m.type}:${typeof m.content === 'string' ? m.content : ''}`);
const statusOf = (err: unknown) => (err as { status?: number }).status;

describe('threads through the LangGraph SDK client', () => {
  it('creates, reads, patches and deletes a thread with its history, runs and tuples', async () => {
    const owner = randomUUID();
    const client = sdk(owner);
    const created = await client.threads.create({ metadata: { topic: 'maths' } });
    expect(created).toMatchObject({ metadata: { topic: 'maths' }, status: 'idle' });
    await client.runs.wait(created.thread_id, 'agent', ask('What is 17 * 23?'));

    const shown = await client.threads.get<{ messages: Message[] }>(created.thread_id);
    expect(shown.status).toBe('idle');
    expect(shown.metadata).toMatchObject({ topic: 'maths', graph_id: 'agent' });
    expect(texts(shown.values.messages)).toEqual([
      'human:What is 17 * 23?',
      'ai:',
      'tool:391',
      'ai:17 * 23 = 391.',
    ]);

    const patched = await client.threads.update(created.thread_id, { metadata: { stage: 'done' } });
    expect(patched.metadata).toMatchObject({ topic: 'maths', stage: 'done' });

    await client.threads.delete(created.thread_id);
    await expect(client.threads.get(created.thread_id)).rejects.toMatchObject({ status: 404 });
    expect(
      await agent().checkpointer.saver.getTuple({ configurable: { thread_id: created.thread_id } }),
    ).toBeUndefined();
    const { db } = agent().database;
    expect(
      await db.selectFrom('agent_runs').selectAll().where('thread_id', '=', created.thread_id).execute(),
    ).toEqual([]);
    expect(
      await agent().authorizer.check({
        user: `user:${owner}`,
        relation: 'owner',
        object: `conversation:${created.thread_id}`,
      }),
    ).toBe(false);
    await expect(client.threads.delete(created.thread_id)).rejects.toMatchObject({ status: 404 });
  });

  it('takes a thread id from the caller: 409 when it exists, the thread itself with do_nothing', async () => {
    const client = sdk(randomUUID());
    const threadId = randomUUID();
    const first = await client.threads.create({ threadId, metadata: { n: 1 } });
    expect(first.thread_id).toBe(threadId);
    expect(statusOf(await client.threads.create({ threadId }).catch((e) => e))).toBe(409);
    expect((await client.threads.create({ threadId, ifExists: 'do_nothing' })).metadata).toEqual({ n: 1 });
    // Someone else cannot take it over, nor learn more than that it exists.
    expect(
      statusOf(
        await sdk(randomUUID())
          .threads.create({ threadId, ifExists: 'do_nothing' })
          .catch((e) => e),
      ),
    ).toBe(409);
  });

  it('searches the caller’s threads by metadata, status and ids, sorted and paged, and counts them', async () => {
    const client = sdk(randomUUID());
    const a = await client.threads.create({ metadata: { project: 'x', tier: { level: 1 } } });
    const b = await client.threads.create({ metadata: { project: 'x', tier: { level: 2 } } });
    const c = await client.threads.create({ metadata: { project: 'y' } });
    await client.runs.wait(b.thread_id, 'agent', ask('What is 1 + 1?'));

    const ids = async (query: Parameters<typeof client.threads.search>[0]) =>
      (await client.threads.search(query)).map((t) => t.thread_id);
    expect(await ids({ metadata: { project: 'x' }, sortBy: 'created_at', sortOrder: 'asc' })).toEqual([
      a.thread_id,
      b.thread_id,
    ]);
    expect(await ids({ metadata: { tier: { level: 2 } } })).toEqual([b.thread_id]);
    // Threads that ran carry the graph they ran on, as agent-chat-ui filters by.
    expect(await ids({ metadata: { graph_id: 'agent' } })).toEqual([b.thread_id]);
    expect(
      await ids({ status: 'idle', ids: [a.thread_id, c.thread_id], sortBy: 'thread_id', sortOrder: 'asc' }),
    ).toEqual([a.thread_id, c.thread_id].sort());
    // Most recently active first by default; pages follow that order.
    const all = await ids({ limit: 10 });
    expect(all[0]).toBe(b.thread_id);
    expect(await ids({ limit: 1, offset: 1 })).toEqual([all[1]]);
    expect(await client.threads.count({ metadata: { project: 'x' } })).toBe(2);
    expect(await client.threads.count()).toBe(3);
    expect(await client.threads.count({ status: 'busy' })).toBe(0);
    expect(await sdk(randomUUID()).threads.count()).toBe(0);
  });

  it('serves state, state at a checkpoint, and history a page at a time', async () => {
    const client = sdk(randomUUID());
    const { thread_id } = await client.threads.create();
    expect(await client.threads.getState(thread_id)).toMatchObject({
      values: {},
      next: [],
      checkpoint: null,
    });
    await client.runs.wait(thread_id, 'agent', ask('What is 2 + 2?'));
    await client.runs.wait(thread_id, 'agent', ask('and times 3?'));

    const state = await client.threads.getState<{ messages: Message[] }>(thread_id);
    expect(state.values.messages).toHaveLength(8);
    expect(state.next).toEqual([]);
    expect(state.checkpoint).toMatchObject({
      thread_id,
      checkpoint_ns: '',
      checkpoint_id: expect.any(String),
    });
    expect(state.parent_checkpoint?.checkpoint_id).toEqual(expect.any(String));
    expect(state.metadata).toMatchObject({ source: 'loop' });

    const history = await client.threads.getHistory<{ messages: Message[] }>(thread_id, { limit: 3 });
    expect(history).toHaveLength(3);
    expect(history[0]!.checkpoint.checkpoint_id).toBe(state.checkpoint.checkpoint_id);
    const older = await client.threads.getHistory<{ messages: Message[] }>(thread_id, {
      limit: 100,
      before: { configurable: { checkpoint_id: history[2]!.checkpoint.checkpoint_id } },
    });
    const seen = new Set(history.map((h) => h.checkpoint.checkpoint_id));
    expect(older.length).toBeGreaterThan(0);
    expect(older.some((h) => seen.has(h.checkpoint.checkpoint_id))).toBe(false);
    // Older pages go back to the first run (pruning keeps every run's last checkpoint).
    expect(older.some((h) => texts(h.values.messages ?? []).at(-1) === 'ai:2 + 2 = 4.')).toBe(true);

    const earlier = older.find((h) => h.values.messages?.length === 4)!;
    const past = await client.threads.getState<{ messages: Message[] }>(
      thread_id,
      earlier.checkpoint.checkpoint_id!,
    );
    expect(texts(past.values.messages).at(-1)).toBe('ai:2 + 2 = 4.');
    const posted = await client.threads.getState<{ messages: Message[] }>(thread_id, {
      checkpoint_id: earlier.checkpoint.checkpoint_id,
    } as never);
    expect(posted.values).toEqual(past.values);
    await expect(client.threads.getState(thread_id, randomUUID())).rejects.toMatchObject({ status: 404 });
  });

  it('updates the state as a node, and refuses while a run is active', async () => {
    const client = sdk(randomUUID());
    const { thread_id } = await client.threads.create();
    await client.runs.wait(thread_id, 'agent', ask('What is 5 * 5?'));
    // The platform answers `{checkpoint}`, which the SDK's type does not name.
    const written: unknown = await client.threads.updateState(thread_id, {
      values: { messages: [{ type: 'ai', content: 'A note from the operator.' }] },
      asNode: 'respond',
    });
    expect(written).toHaveProperty('checkpoint');
    expect((written as { checkpoint: unknown }).checkpoint).toMatchObject({
      thread_id,
      checkpoint_id: expect.any(String),
    });
    const state = await client.threads.getState<{ messages: Message[] }>(thread_id);
    expect(texts(state.values.messages).at(-1)).toBe('ai:A note from the operator.');
    expect(state.next).toEqual([]);
    await expect(
      client.threads.updateState(thread_id, { values: { messages: [] }, asNode: 'nowhere' }),
    ).rejects.toMatchObject({ status: 422 });
  });

  it('copies a thread for the caller; the copy goes on without touching the original', async () => {
    const owner = sdk(randomUUID());
    const { thread_id } = await owner.threads.create({ metadata: { k: 'v' } });
    await owner.runs.wait(thread_id, 'agent', ask('What is 6 * 7?'));
    const copy = await owner.threads.copy(thread_id);
    expect(copy.thread_id).not.toBe(thread_id);
    expect(copy.metadata).toMatchObject({ k: 'v' });
    await owner.runs.wait(copy.thread_id, 'agent', ask('and minus 2?'));
    const original = await owner.threads.getState<{ messages: Message[] }>(thread_id);
    const copied = await owner.threads.getState<{ messages: Message[] }>(copy.thread_id);
    expect(original.values.messages).toHaveLength(4);
    expect(texts(copied.values.messages).slice(0, 4)).toEqual(texts(original.values.messages));
    expect(texts(copied.values.messages).at(-1)).toBe('ai:42 - 2 = 40.');
    await expect(sdk(randomUUID()).threads.copy(thread_id)).rejects.toMatchObject({ status: 404 });
  });
});
