import { randomUUID } from 'node:crypto';
import { Client, type Message } from '@langchain/langgraph-sdk';
import { describeWithPostgres } from '@mcp-langgraph/db/testing';
import { humanInput as ask, eventually, gatedCalculator } from './testing/gate.js';
import { useAgent } from './testing/setup.js';

type Values = { messages: Message[] };
const lastText = (v: Values) => v.messages.at(-1)?.content;

describeWithPostgres('agent on PostgreSQL (threads, runs, events, checkpoints, tuples)', () => {
  const gate = gatedCalculator();
  // A short lease and poll, so a replica taking over and a reader on another replica are quick.
  const { agent, sdk } = useAgent({ postgres: true, tools: [gate.tool], runLeaseMs: 600, pollMs: 50 });
  const clientAt = (url: string, sub: string) =>
    new Client({
      apiUrl: url,
      apiKey: null,
      defaultHeaders: { Authorization: `Bearer ${agent().issuer.sign({ sub })}` },
      callerOptions: { maxRetries: 0 },
    });
  beforeEach(() => gate.open());

  it('keeps a conversation across runs, streams, joins, searches, copies and deletes', async () => {
    const owner = randomUUID();
    const client = sdk(owner);
    const { thread_id } = await client.threads.create({ metadata: { store: 'pg' } });
    expect(lastText((await client.runs.wait(thread_id, 'agent', ask('What is 17 * 23?'))) as Values)).toBe(
      '17 * 23 = 391.',
    );
    const parts = [];
    for await (const p of client.runs.stream(thread_id, 'agent', {
      ...ask('and minus 1?'),
      streamMode: ['updates', 'messages-tuple'],
    }))
      parts.push(p.event);
    expect(parts[0]).toBe('metadata');
    expect(parts).toContain('messages');
    expect(parts.at(-1)).toBe('end');
    const run = await client.runs.create(thread_id, 'agent', {
      ...ask('and plus 10?'),
      multitaskStrategy: 'enqueue',
    });
    expect(lastText((await client.runs.join(thread_id, run.run_id)) as Values)).toBe('390 + 10 = 400.');
    expect((await client.runs.list(thread_id)).map((r) => r.status)).toEqual([
      'success',
      'success',
      'success',
    ]);

    expect((await client.threads.search({ metadata: { store: 'pg' } })).map((t) => t.thread_id)).toEqual([
      thread_id,
    ]);
    expect(await client.threads.count()).toBe(1);
    expect(await sdk(randomUUID()).threads.count()).toBe(0);
    const copy = await client.threads.copy(thread_id);
    expect((await client.threads.getState<Values>(copy.thread_id)).values.messages).toHaveLength(12);

    await client.threads.delete(thread_id);
    await expect(client.threads.get(thread_id)).rejects.toMatchObject({ status: 404 });
    expect(await agent().checkpointer.saver.getTuple({ configurable: { thread_id } })).toBeUndefined();
  });

  it('serves one run to readers on any replica: a stream joined on another replica gets every event', async () => {
    const other = await agent().replica();
    const sub = randomUUID();
    const here = clientAt(agent().url, sub);
    const there = clientAt(other.url, sub);
    const { thread_id } = await here.threads.create();
    gate.close();
    const run = await here.runs.create(thread_id, 'agent', {
      ...ask('What is 4 * 5?'),
      streamMode: ['updates'],
    });
    await gate.reached();
    const joined = (async () => {
      const events = [];
      for await (const p of there.runs.joinStream(thread_id, run.run_id)) events.push(p.event);
      return events;
    })();
    gate.open();
    expect(await joined).toEqual(['metadata', 'updates', 'updates', 'updates', 'updates', 'end']);
    expect(lastText((await there.runs.join(thread_id, run.run_id)) as Values)).toBe('4 * 5 = 20.');
    await other.close();
  });

  it('lets another replica take over a run whose replica stopped, resuming it from its checkpoint', async () => {
    const other = await agent().replica();
    const sub = randomUUID();
    const before = clientAt(other.url, sub);
    const { thread_id } = await before.threads.create();
    gate.close();
    const run = await before.runs.create(thread_id, 'agent', ask('What is 6 * 6?'));
    await gate.reached();
    // Whichever replica took it, one goes away mid-run: a run it held is let go and the other takes
    // it over, resuming from the last checkpoint; the user's message is there once.
    const stopping = other.close();
    gate.open();
    await stopping;
    const after = clientAt(agent().url, sub);
    const done = await eventually(
      () => after.runs.get(thread_id, run.run_id),
      (r) => r.status === 'success',
    );
    expect(done.status).toBe('success');
    const values = (await after.threads.getState<Values>(thread_id)).values;
    expect(values.messages.filter((m) => m.type === 'human').map((m) => m.content)).toEqual([
      'What is 6 * 6?',
    ]);
    expect(lastText(values)).toBe('6 * 6 = 36.');
  });
});
