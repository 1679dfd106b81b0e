import { randomUUID } from 'node:crypto';
import { describeWithPostgres } from '@mcp-langgraph/db/testing';
import { userMessageRun as ask } from '@mcp-langgraph/protocol';
import { useAgent } from './testing/setup.js';

describeWithPostgres('agent on PostgreSQL (threads, checkpoints, tuples, thread lock)', () => {
  const { agent, call } = useAgent({ postgres: true });

  it('keeps a conversation across runs and lists it only for its owner', async () => {
    const owner = agent().issuer.sign({ sub: randomUUID() });
    const created = await call('POST', '/threads', owner, {});
    expect(created.status).toBe(201);
    const id = created.body.thread_id as string;

    expect((await call('POST', `/threads/${id}/runs/wait`, owner, ask('What is 17 * 23?'))).body.answer).toBe(
      '17 * 23 = 391.',
    );
    const second = await call('POST', `/threads/${id}/runs/wait`, owner, ask('and minus 1?'));
    expect(second.body.answer).toBe('391 - 1 = 390.');

    const state = await call('GET', `/threads/${id}/state`, owner);
    expect(state.body.values.messages).toHaveLength(8);
    expect(state.body.values.messages[2]).toMatchObject({ role: 'tool', name: 'calculator', content: '391' });

    const listed = await call('POST', '/threads/search', owner, {});
    expect(listed.body).toEqual([expect.objectContaining({ thread_id: id, title: 'What is 17 * 23?' })]);
    const stranger = agent().issuer.sign({ sub: randomUUID() });
    expect((await call('GET', `/threads/${id}/state`, stranger)).status).toBe(404);
    expect((await call('POST', '/threads/search', stranger, {})).body).toEqual([]);

    const deleted = await fetch(`${agent().url}/threads/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${owner}` },
    });
    expect(deleted.status).toBe(204);
    expect(await agent().checkpointer.saver.getTuple({ configurable: { thread_id: id } })).toBeUndefined();
    expect((await call('GET', `/threads/${id}/state`, owner)).status).toBe(404);
  });
});
