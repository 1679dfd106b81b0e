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

  /** A thread (after an `earlier` turn, if given) with a run held in its tool call. */
  async function busyThread(earlier?: string) {
    const { thread_id } = await client.threads.create();
    if (earlier) {
      gate.open();
      await client.runs.wait(thread_id, 'agent', ask(earlier));
      gate.close();
    }
    const first = await client.runs.create(thread_id, 'agent', ask('What is 2 + 2?'));
    await gate.reached();
    return { thread_id, first };
  }
  const statusOf = (threadId: string, runId: string) =>
    client.runs.get(threadId, runId).then(
      (r) => r.status as string,
      (err: { status?: number }) => `http ${err.status}`,
    );
  const untilStatus = (threadId: string, runId: string, status: string) =>
    eventually(
      () => statusOf(threadId, runId),
      (s) => s === status,
    );

  /** Sends a second message with `strategy` while the first run is held; what the first became, and the thread after. */
  async function doubleText(strategy: 'interrupt' | 'rollback', firstBecomes: string) {
    const { thread_id, first } = await busyThread('What is 1 + 1?');
    const second = await client.runs.create(thread_id, 'agent', {
      ...ask('What is 5 + 5?'),
      multitaskStrategy: strategy,
    });
    const became = await untilStatus(thread_id, first.run_id, firstBecomes);
    gate.open();
    return { became, values: (await client.runs.join(thread_id, second.run_id)) as Values };
  }

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
    const { became, values } = await doubleText('interrupt', 'interrupted');
    expect(became).toBe('interrupted');
    expect(humans(values)).toEqual(['What is 1 + 1?', 'What is 2 + 2?', 'What is 5 + 5?']);
    expect(values.messages.at(-1)!.content).toBe('5 + 5 = 10.');
  });

  it('rollback: the first run is undone and forgotten, the second runs on the thread as it was', async () => {
    const { became, values } = await doubleText('rollback', 'http 404');
    expect(became).toBe('http 404');
    expect(humans(values)).toEqual(['What is 1 + 1?', 'What is 5 + 5?']);
    expect(values.messages.at(-1)!.content).toBe('5 + 5 = 10.');
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
    const { thread_id, first } = await busyThread('What is 1 + 2?');
    const before = await client.threads.getState<Values>(thread_id);
    await client.runs.cancel(thread_id, first.run_id, true, 'rollback');
    const after = await client.threads.getState<Values>(thread_id);
    expect(humans(after.values)).toEqual(['What is 1 + 2?']);
    expect(after.values.messages).toEqual(before.values.messages.slice(0, 4));
    expect(after.next).toEqual([]);
    await expect(client.runs.get(thread_id, first.run_id)).rejects.toMatchObject({ status: 404 });
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

  /** Streams a run, and hangs up once it is held in its tool call; the run's thread and id. */
  async function hangUpMidRun(onDisconnect: 'cancel' | 'continue' | undefined) {
    const { thread_id } = await client.threads.create();
    const controller = new AbortController();
    let runId = '';
    const stream = client.runs.stream(thread_id, 'agent', {
      ...ask('What is 6 + 6?'),
      ...(onDisconnect ? { onDisconnect } : {}),
      signal: controller.signal,
      onRunCreated: (meta) => {
        runId = meta.run_id;
      },
    });
    await stream.next();
    await gate.reached();
    controller.abort();
    await stream.return(undefined);
    return { thread_id, runId };
  }

  it('on_disconnect: cancel stops the run when the streaming client goes away', async () => {
    const { thread_id, runId } = await hangUpMidRun('cancel');
    expect(await untilStatus(thread_id, runId, 'interrupted')).toBe('interrupted');
  });

  it('on_disconnect: continue (the default) lets the run finish', async () => {
    const { thread_id, runId } = await hangUpMidRun(undefined);
    gate.open();
    expect(await untilStatus(thread_id, runId, 'success')).toBe('success');
  });
});
