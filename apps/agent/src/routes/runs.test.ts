import { randomUUID } from 'node:crypto';
import type { Client, Message } from '@langchain/langgraph-sdk';
import { parseEvents } from '@mcp-langgraph/testing';
import { ASSISTANT_ID } from '../assistant.js';
import { humanInput as ask } from '../testing/gate.js';
import { useAgent } from '../testing/setup.js';

const { agent, sdk, call, tokenFor } = useAgent();

const lastText = (messages: Message[]) => {
  const last = messages.at(-1);
  return typeof last?.content === 'string' ? last.content : '';
};

/** Every part of a streamed run, in order. */
async function collect(stream: AsyncIterable<{ event: string; data: unknown; id?: string }>) {
  const parts: Array<{ event: string; data: unknown; id?: string }> = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

describe('runs through the LangGraph SDK client', () => {
  let client: Client;
  beforeAll(() => {
    client = sdk(randomUUID());
  });

  it('waits for a run and answers the thread’s values; the next run continues the conversation', async () => {
    const { thread_id } = await client.threads.create();
    const first = (await client.runs.wait(thread_id, 'agent', ask('What is 17 * 23?'))) as {
      messages: Message[];
    };
    expect(first.messages.map((m) => m.type)).toEqual(['human', 'ai', 'tool', 'ai']);
    expect(first.messages[1]).toMatchObject({
      type: 'ai',
      tool_calls: [{ name: 'calculator', args: { expression: '17 * 23' }, id: expect.any(String) }],
    });
    expect(first.messages[2]).toMatchObject({ type: 'tool', name: 'calculator', content: '391' });
    expect(first.messages.every((m) => typeof m.id === 'string')).toBe(true);
    // The assistant id works as well as the graph id, and `role` is accepted as an alias.
    const second = (await client.runs.wait(thread_id, ASSISTANT_ID, {
      input: { messages: [{ role: 'user', content: 'and times 2?' }] },
    })) as { messages: Message[] };
    expect(lastText(second.messages)).toBe('391 * 2 = 782.');
    expect(second.messages).toHaveLength(8);
  });

  it('streams values, updates, messages-tuple and messages, metadata first and end last', async () => {
    const { thread_id } = await client.threads.create();
    const created: string[] = [];
    const parts = await collect(
      client.runs.stream(thread_id, 'agent', {
        ...ask('What is (2+3)^2?'),
        streamMode: ['values', 'updates', 'messages-tuple', 'messages', 'custom', 'debug'],
        onRunCreated: ({ run_id }) => created.push(run_id),
      }),
    );
    const events = parts.map((p) => p.event);
    expect(events[0]).toBe('metadata');
    expect(parts[0]!.data).toMatchObject({ run_id: created[0], attempt: 1 });
    expect(events.at(-1)).toBe('end');
    for (const e of [
      'values',
      'updates',
      'messages',
      'messages/metadata',
      'messages/partial',
      'messages/complete',
      'debug',
    ])
      expect(events).toContain(e);
    const updates = parts.filter((p) => p.event === 'updates').map((p) => Object.keys(p.data as object)[0]);
    expect(updates).toEqual(['agent', 'tools', 'agent', 'respond']);
    // messages-tuple: [chunk, metadata] pairs naming the node that produced them.
    const tuples = parts
      .filter((p) => p.event === 'messages')
      .map((p) => p.data as [Message, { langgraph_node?: string }]);
    // The answer arrives token by token (the offline model streams word by word), one message id.
    const answer = tuples.filter(([m]) => m.id === tuples.at(-1)![0].id);
    expect(answer.map(([m]) => m.content)).toEqual(['(2+3)^2 ', '= ', '25.']);
    expect(answer.every(([, meta]) => meta.langgraph_node === 'agent')).toBe(true);
    const lastValues = parts.filter((p) => p.event === 'values').at(-1)!.data as { messages: Message[] };
    expect(lastText(lastValues.messages)).toBe('(2+3)^2 = 25.');
    // Every event has an id a client can resume after.
    expect(parts.filter((p) => p.event !== 'end').every((p) => /^\d+$/.test(p.id ?? ''))).toBe(true);
  });

  it('streams one mode alone, and answers the SSE headers the SDK reads', async () => {
    const { thread_id } = await client.threads.create();
    const token = tokenFor(randomUUID());
    const res = await fetch(`${agent().url}/threads/${thread_id}/runs/stream`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ assistant_id: 'agent', ...ask('hi') }),
    });
    // Someone else's thread: refused before any stream starts.
    expect(res.status).toBe(404);
    const mine = await fetch(`${agent().url}/threads/${thread_id}/runs/stream`, {
      method: 'POST',
      headers: {
        authorization: (client as unknown as { threads: { defaultHeaders: Record<string, string> } }).threads
          .defaultHeaders.authorization!,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ assistant_id: 'agent', stream_mode: 'updates', ...ask('What is 9 - 4?') }),
    });
    expect(mine.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const location = mine.headers.get('content-location');
    expect(location).toMatch(new RegExp(`^/threads/${thread_id}/runs/[0-9a-f-]{36}$`));
    expect(mine.headers.get('location')).toBe(`${location}/stream`);
    const events = parseEvents(await mine.text());
    expect(events.map((e) => e.event)).toEqual([
      'metadata',
      'updates',
      'updates',
      'updates',
      'updates',
      'end',
    ]);
  });

  it('runs in the background: created at once, joined, read back and listed', async () => {
    const { thread_id } = await client.threads.create();
    const run = await client.runs.create(thread_id, 'agent', {
      ...ask('What is 3 * 3?'),
      metadata: { origin: 'test' },
    });
    expect(run).toMatchObject({
      thread_id,
      assistant_id: ASSISTANT_ID,
      metadata: { origin: 'test' },
      multitask_strategy: 'reject',
    });
    expect(['pending', 'running', 'success']).toContain(run.status);
    const joined = (await client.runs.join(thread_id, run.run_id)) as { messages: Message[] };
    expect(lastText(joined.messages)).toBe('3 * 3 = 9.');
    expect(await client.runs.get(thread_id, run.run_id)).toMatchObject({
      run_id: run.run_id,
      status: 'success',
    });
    const later = await client.runs.create(thread_id, 'agent', ask('and plus 1?'));
    await client.runs.join(thread_id, later.run_id);
    expect((await client.runs.list(thread_id)).map((r) => r.run_id)).toEqual([later.run_id, run.run_id]);
    expect((await client.runs.list(thread_id, { limit: 1, offset: 1 })).map((r) => r.run_id)).toEqual([
      run.run_id,
    ]);
    await client.runs.delete(thread_id, run.run_id);
    await expect(client.runs.get(thread_id, run.run_id)).rejects.toMatchObject({ status: 404 });
  });

  it('joins a run’s stream later, and resumes after the Last-Event-ID it names', async () => {
    const { thread_id } = await client.threads.create();
    const run = await client.runs.create(thread_id, 'agent', {
      ...ask('What is 8 / 2?'),
      streamMode: ['updates'],
    });
    const all = await collect(client.runs.joinStream(thread_id, run.run_id));
    expect(all.map((p) => p.event)).toEqual(['metadata', 'updates', 'updates', 'updates', 'updates', 'end']);
    const rest = await collect(client.runs.joinStream(thread_id, run.run_id, { lastEventId: all[2]!.id }));
    expect(rest.map((p) => p.id)).toEqual(all.slice(3).map((p) => p.id));
  });

  it('runs without a thread: a temporary thread of the caller’s, gone once the run ends', async () => {
    const alone = sdk(randomUUID());
    const values = (await alone.runs.wait(null, 'agent', ask('What is 10 - 3?'))) as { messages: Message[] };
    expect(lastText(values.messages)).toBe('10 - 3 = 7.');
    const parts = await collect(alone.runs.stream(null, 'agent', ask('What is 2 ^ 10?')));
    expect(parts.map((p) => p.event)).toContain('values');
    expect(parts.at(-1)!.event).toBe('end');
    expect(await alone.threads.count()).toBe(0);
  });

  it('creates the thread with if_not_exists: create (the caller owns it), and never takes over another’s', async () => {
    const threadId = randomUUID();
    await expect(client.runs.wait(threadId, 'agent', ask('hi'))).rejects.toMatchObject({ status: 404 });
    const values = (await client.runs.wait(threadId, 'agent', {
      ...ask('What is 1 + 2?'),
      ifNotExists: 'create',
    })) as {
      messages: Message[];
    };
    expect(lastText(values.messages)).toBe('1 + 2 = 3.');
    expect((await client.threads.get(threadId)).thread_id).toBe(threadId);
    const other = sdk(randomUUID());
    await expect(
      other.runs.wait(threadId, 'agent', { ...ask('mine now?'), ifNotExists: 'create' }),
    ).rejects.toMatchObject({
      status: 404,
    });
    expect((await client.threads.getState<{ messages: Message[] }>(threadId)).values.messages).toHaveLength(
      4,
    );
  });

  it('answers the platform’s errors: 404 for an unknown thread or assistant, 422 for invalid input', async () => {
    const { thread_id } = await client.threads.create();
    await expect(client.runs.wait(randomUUID(), 'agent', ask('hi'))).rejects.toMatchObject({ status: 404 });
    await expect(client.runs.wait(thread_id, 'no-such-graph', ask('hi'))).rejects.toMatchObject({
      status: 404,
    });
    await expect(client.assistants.get('no-such-graph')).rejects.toMatchObject({ status: 404 });
    for (const input of [
      { messages: [{ type: 'robot', content: 'hi' }] },
      { messages: 'hi' },
      { messages: [{ type: 'human', content: 'x'.repeat(8001) }] },
      { messages: [{ type: 'tool', content: 'orphan' }] },
      { extra: 1 },
    ])
      await expect(client.runs.wait(thread_id, 'agent', { input })).rejects.toMatchObject({ status: 422 });
    await expect(
      client.runs.wait(thread_id, 'agent', { ...ask('hi'), multitaskStrategy: 'sideways' as never }),
    ).rejects.toMatchObject({ status: 422 });
    const res = await call('POST', `/threads/${thread_id}/runs`, tokenFor(randomUUID()), {
      assistant_id: 'agent',
    });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: 'not_found', detail: expect.any(String) });
  });

  it('describes its one assistant, its graph and schemas, and itself at /info and /ok', async () => {
    const [assistant] = await client.assistants.search({ graphId: 'agent' });
    expect(assistant).toMatchObject({
      assistant_id: ASSISTANT_ID,
      graph_id: 'agent',
      name: 'agent',
      version: 1,
    });
    expect(await client.assistants.search({ graphId: 'other' })).toEqual([]);
    expect(await client.assistants.get('agent')).toEqual(assistant);
    const graph = await client.assistants.getGraph(ASSISTANT_ID);
    expect(graph.nodes.map((n) => n.id)).toEqual(
      expect.arrayContaining(['__start__', 'agent', 'tools', 'respond', '__end__']),
    );
    expect(await client.assistants.count({ graphId: 'agent' })).toBe(1);
    expect(await client.assistants.getSubgraphs('agent')).toEqual({});
    expect((await client.assistants.getVersions('agent')).map((v) => v.version)).toEqual([1]);
    const schemas = await client.assistants.getSchemas('agent');
    expect(schemas.state_schema).toMatchObject({ properties: { messages: { type: 'array' } } });
    expect(await (await fetch(`${agent().url}/ok`)).json()).toEqual({ ok: true });
    expect(await (await fetch(`${agent().url}/info`)).json()).toMatchObject({ flags: { assistants: true } });
  });

  it('reports runs and tokens in /metrics', async () => {
    const text = await (await fetch(`${agent().url}/metrics`)).text();
    const value = (line: RegExp) => Number(line.exec(text)?.[1] ?? Number.NaN);
    expect(value(/^agent_runs_total\{status="success"[^}]*\} (\d+)/m)).toBeGreaterThanOrEqual(5);
    expect(value(/^llm_tokens_total\{type="input"[^}]*\} (\d+)/m)).toBeGreaterThan(0);
    expect(value(/^agent_run_duration_seconds_count[^ ]* (\d+)/m)).toBeGreaterThanOrEqual(5);
  });
});
