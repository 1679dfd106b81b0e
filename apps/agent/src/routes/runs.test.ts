import { randomUUID } from 'node:crypto';
import { userMessageRun as ask } from '@mcp-langgraph/protocol';
import { parseEvents } from '@mcp-langgraph/testing';
import { useAgent } from '../testing/setup.js';

const { agent, call, tokenFor, createThread } = useAgent();
const alice = randomUUID();
const bob = randomUUID();

describe('runs: wait, stream and the thread state', () => {
  it('creates a thread, runs twice, and keeps the real history', async () => {
    const token = tokenFor(alice);
    const created = await call('POST', '/threads', token, { metadata: { source: 'test' } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      thread_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      created_at: expect.any(String),
      metadata: { source: 'test' },
    });
    const id = created.body.thread_id as string;

    const first = await call('POST', `/threads/${id}/runs/wait`, token, ask('What is 17 * 23?'));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ thread_id: id, status: 'success', run_id: expect.any(String) });
    expect(first.body.answer).toContain('391');
    expect(first.body.messages).toHaveLength(4);

    const second = await call('POST', `/threads/${id}/runs/wait`, token, ask('and times 2?'));
    expect(second.status).toBe(200);
    expect(second.body.answer).toContain('782');
    expect(second.body.run_id).not.toBe(first.body.run_id);

    const state = await call('GET', `/threads/${id}/state`, token);
    expect(state.status).toBe(200);
    expect(state.body.thread_id).toBe(id);
    const messages = state.body.values.messages;
    expect(messages.map((m: { role: string }) => m.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'assistant',
      'user',
      'assistant',
      'tool',
      'assistant',
    ]);
    expect(messages[0]).toEqual({ role: 'user', content: 'What is 17 * 23?' });
    expect(messages[1].tool_calls).toEqual([
      { id: expect.any(String), name: 'calculator', args: { expression: '17 * 23' } },
    ]);
    expect(messages[2]).toEqual({
      role: 'tool',
      name: 'calculator',
      content: '391',
      tool_call_id: messages[1].tool_calls[0].id,
    });
    expect(messages[3]).toEqual({ role: 'assistant', content: '17 * 23 = 391.' });
    expect(messages).toEqual(second.body.messages);

    const search = await call('POST', '/threads/search', token, {});
    expect(search.status).toBe(200);
    const listed = search.body.find((t: { thread_id: string }) => t.thread_id === id);
    expect(listed).toEqual({
      thread_id: id,
      created_at: created.body.created_at,
      updated_at: expect.any(String),
      metadata: { source: 'test' },
      title: 'What is 17 * 23?',
    });
    expect(listed.updated_at >= listed.created_at).toBe(true);
  });

  it('answers 404 for a well-formed id that does not exist and 400 for a malformed one', async () => {
    const token = tokenFor(alice);
    expect((await call('GET', `/threads/${randomUUID()}/state`, token)).status).toBe(404);
    expect((await call('POST', `/threads/${randomUUID()}/runs/wait`, token, ask('hi'))).status).toBe(404);
    const bad = await call('GET', '/threads/not-a-uuid/state', token);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_thread_id');
    expect((await call('POST', '/threads/1234/runs/wait', token, ask('hi'))).status).toBe(400);
  });

  it('runs on one thread one at a time, so concurrent requests do not corrupt the history', async () => {
    const token = tokenFor(alice);
    const id = await createThread(token);
    const questions = ['What is 1 + 1?', 'What is 2 + 2?', 'What is 3 + 3?', 'What is 4 + 4?'];
    const replies = await Promise.all(
      questions.map((q) => call('POST', `/threads/${id}/runs/wait`, token, ask(q))),
    );
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(replies.map((r) => r.body.answer).sort()).toEqual([
      '1 + 1 = 2.',
      '2 + 2 = 4.',
      '3 + 3 = 6.',
      '4 + 4 = 8.',
    ]);
    const { body } = await call('GET', `/threads/${id}/state`, token);
    const messages = body.values.messages as Array<{ role: string; content: string }>;
    expect(messages).toHaveLength(16);
    for (let i = 0; i < 16; i += 4) {
      expect(messages.slice(i, i + 4).map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
      const [a] = /\d/.exec(messages[i]!.content)!;
      expect(messages[i + 3]!.content).toBe(`${a} + ${a} = ${Number(a) * 2}.`);
    }
  });

  it('streams a run as server-sent events and keeps it in the history', async () => {
    const token = tokenFor(alice);
    const id = await createThread(token);
    const res = await fetch(`${agent().url}/threads/${id}/runs/stream`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(ask('What is (2+3)^2?')),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseEvents(await res.text());
    expect(events.map((e) => e.event)).toEqual(['metadata', 'updates', 'updates', 'updates', 'end']);
    expect(events[0]!.data).toEqual({ run_id: expect.any(String), thread_id: id });
    expect(events.slice(1, 4).map((e) => e.data.node)).toEqual(['agent', 'tools', 'agent']);
    expect(events[2]!.data.messages).toEqual([
      { role: 'tool', name: 'calculator', content: '25', tool_call_id: expect.any(String) },
    ]);
    const end = events[4]!.data;
    expect(end).toMatchObject({
      run_id: events[0]!.data.run_id,
      thread_id: id,
      status: 'success',
      answer: '(2+3)^2 = 25.',
    });
    const state = await call('GET', `/threads/${id}/state`, token);
    expect(state.body.values.messages).toEqual(end.messages);
  });

  it('checks the stream route like the wait route before streaming anything', async () => {
    const id = await createThread(tokenFor(alice));
    const stranger = await call('POST', `/threads/${id}/runs/stream`, tokenFor(bob), ask('What is 1 + 1?'));
    expect(stranger.status).toBe(404);
    const empty = await call('POST', `/threads/${id}/runs/stream`, tokenFor(alice), ask(''));
    expect(empty.status).toBe(400);
  });

  it('reports runs and tokens in /metrics', async () => {
    const res = await fetch(`${agent().url}/metrics`);
    const text = await res.text();
    const value = (line: RegExp) => Number(line.exec(text)?.[1] ?? Number.NaN);
    expect(value(/^agent_runs_total\{status="success"[^}]*\} (\d+)/m)).toBeGreaterThanOrEqual(2);
    expect(value(/^llm_tokens_total\{type="input"[^}]*\} (\d+)/m)).toBeGreaterThan(0);
    expect(value(/^llm_tokens_total\{type="output"[^}]*\} (\d+)/m)).toBeGreaterThan(0);
    expect(value(/^agent_run_duration_seconds_count[^ ]* (\d+)/m)).toBeGreaterThanOrEqual(2);
  });
});
