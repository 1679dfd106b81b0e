import { randomUUID } from 'node:crypto';
import type { Client, Message } from '@langchain/langgraph-sdk';
import { humanInput as ask, eventually, gatedCalculator } from '../testing/gate.js';
import { useAgent } from '../testing/setup.js';

// Every calculator call waits at the gate until the test opens it: "a run in the middle" on demand.
const gate = gatedCalculator();
const { sdk } = useAgent({ tools: [gate.tool] });

type Values = { messages: Message[] };
const humans = (values: Values) => values.messages.filter((m) => m.type === 'human').map((m) => m.content);

describe('double-texting and cancellation', () => {
  let client: Client;
  beforeEach(() => {
    gate.close();
    client = sdk(randomUUID());
  });
  afterEach(() => gate.open());

  /** A thread with a run held in its tool call. */
  async function busyThread() {
    const { thread_id } = await client.threads.create();
    const first = await client.runs.create(thread_id, 'agent', ask('What is 2 + 2?'));
    await gate.reached();
    return { thread_id, first };
  }
  const statusOf = (threadId: string, runId: string) =>
    client.runs.get(threadId, runId).then(
      (r) => r.status as string,
      (err: { status?: number }) => `http ${err.status}`,
    );

  it('reject (the default): a second run while one is active is a 409, and the first goes on', async () => {
    const { thread_id, first } = await busyThread();
    expect((await client.threads.get(thread_id)).status).toBe('busy');
    await expect(client.runs.create(thread_id, 'agent', ask('What is 3 + 3?'))).rejects.toMatchObject({
      status: 409,
    });
    await expect(client.runs.wait(thread_id, 'agent', ask('What is 3 + 3?'))).rejects.toMatchObject({
      status: 409,
    });
    gate.open();
    await client.runs.join(thread_id, first.run_id);
    expect(await statusOf(thread_id, first.run_id)).toBe('success');
    expect((await client.threads.get(thread_id)).status).toBe('idle');
  });

  it('enqueue: the second run waits for the first and sees its answer', async () => {
    const { thread_id, first } = await busyThread();
    const second = await client.runs.create(thread_id, 'agent', {
      ...ask('and times 10?'),
      multitaskStrategy: 'enqueue',
    });
    expect(second.status).toBe('pending');
    gate.open();
    const values = (await client.runs.join(thread_id, second.run_id)) as Values;
    expect(await statusOf(thread_id, first.run_id)).toBe('success');
    expect(humans(values)).toEqual(['What is 2 + 2?', 'and times 10?']);
    expect(values.messages.at(-1)!.content).toBe('4 * 10 = 40.');
  });

  it('interrupt: the first run stops where it was (its message stays), the second runs', async () => {
    const { thread_id, first } = await busyThread();
    const second = await client.runs.create(thread_id, 'agent', {
      ...ask('What is 5 + 5?'),
      multitaskStrategy: 'interrupt',
    });
    expect(
      await eventually(
        () => statusOf(thread_id, first.run_id),
        (s) => s === 'interrupted',
      ),
    ).toBe('interrupted');
    gate.open();
    const values = (await client.runs.join(thread_id, second.run_id)) as Values;
    expect(humans(values)).toEqual(['What is 2 + 2?', 'What is 5 + 5?']);
    expect(values.messages.at(-1)!.content).toBe('5 + 5 = 10.');
  });

  it('rollback: the first run is undone and forgotten, the second runs on the thread as it was', async () => {
    const { thread_id } = await client.threads.create();
    gate.open();
    await client.runs.wait(thread_id, 'agent', ask('What is 1 + 1?'));
    gate.close();
    const first = await client.runs.create(thread_id, 'agent', ask('What is 2 + 2?'));
    await gate.reached();
    const second = await client.runs.create(thread_id, 'agent', {
      ...ask('What is 7 + 7?'),
      multitaskStrategy: 'rollback',
    });
    expect(
      await eventually(
        () => statusOf(thread_id, first.run_id),
        (s) => s === 'http 404',
      ),
    ).toBe('http 404');
    gate.open();
    const values = (await client.runs.join(thread_id, second.run_id)) as Values;
    expect(humans(values)).toEqual(['What is 1 + 1?', 'What is 7 + 7?']);
  });

  it('cancel with interrupt stops a running run; with wait it answers once stopped; the thread goes on', async () => {
    const { thread_id, first } = await busyThread();
    await client.runs.cancel(thread_id, first.run_id, true, 'interrupt');
    expect(await statusOf(thread_id, first.run_id)).toBe('interrupted');
    expect((await client.threads.get(thread_id)).status).toBe('idle');
    gate.open();
    const values = (await client.runs.wait(thread_id, 'agent', ask('What is 4 * 4?'))) as Values;
    expect(values.messages.at(-1)!.content).toBe('4 * 4 = 16.');
  });

  it('cancel with rollback puts the thread back where the run found it', async () => {
    const { thread_id } = await client.threads.create();
    gate.open();
    await client.runs.wait(thread_id, 'agent', ask('What is 1 + 2?'));
    const before = await client.threads.getState<Values>(thread_id);
    gate.close();
    const run = await client.runs.create(thread_id, 'agent', ask('What is 3 + 4?'));
    await gate.reached();
    await client.runs.cancel(thread_id, run.run_id, true, 'rollback');
    const after = await client.threads.getState<Values>(thread_id);
    expect(after.values).toEqual(before.values);
    expect(after.next).toEqual([]);
    await expect(client.runs.get(thread_id, run.run_id)).rejects.toMatchObject({ status: 404 });
  });

  it('cancels a queued run before it starts', async () => {
    const { thread_id, first } = await busyThread();
    const queued = await client.runs.create(thread_id, 'agent', {
      ...ask('later'),
      multitaskStrategy: 'enqueue',
    });
    await client.runs.cancel(thread_id, queued.run_id);
    expect(await statusOf(thread_id, queued.run_id)).toBe('interrupted');
    gate.open();
    const values = (await client.runs.join(thread_id, first.run_id)) as Values;
    expect(humans(values)).toEqual(['What is 2 + 2?']);
  });

  it('refuses runs beyond the per-thread queue (busy, 409), whatever the strategy', async () => {
    const { thread_id } = await busyThread();
    for (let i = 0; i < 7; i++)
      await client.runs.create(thread_id, 'agent', { ...ask(`q${i}`), multitaskStrategy: 'enqueue' });
    await expect(
      client.runs.create(thread_id, 'agent', { ...ask('one too many'), multitaskStrategy: 'enqueue' }),
    ).rejects.toMatchObject({ status: 409 });
  });

  it('on_disconnect: cancel stops the run when the streaming client goes away', async () => {
    const { thread_id } = await client.threads.create();
    const controller = new AbortController();
    let runId = '';
    const stream = client.runs.stream(thread_id, 'agent', {
      ...ask('What is 6 + 6?'),
      onDisconnect: 'cancel',
      signal: controller.signal,
      onRunCreated: (meta) => {
        runId = meta.run_id;
      },
    });
    await stream.next();
    await gate.reached();
    controller.abort();
    await stream.return(undefined);
    expect(
      await eventually(
        () => statusOf(thread_id, runId),
        (s) => s === 'interrupted',
      ),
    ).toBe('interrupted');
  });

  it('on_disconnect: continue (the default) lets the run finish', async () => {
    const { thread_id } = await client.threads.create();
    const controller = new AbortController();
    let runId = '';
    const stream = client.runs.stream(thread_id, 'agent', {
      ...ask('What is 6 + 7?'),
      signal: controller.signal,
      onRunCreated: (meta) => {
        runId = meta.run_id;
      },
    });
    await stream.next();
    await gate.reached();
    controller.abort();
    await stream.return(undefined);
    gate.open();
    expect(
      await eventually(
        () => statusOf(thread_id, runId),
        (s) => s === 'success',
      ),
    ).toBe('success');
  });
});
