import { randomUUID } from 'node:crypto';
import { createAuthorizer } from '@mcp-langgraph/authz';
import { createDatabase } from '@mcp-langgraph/db';
import { createTestSchema, describeWithPostgres, TEST_DATABASE_URL } from '@mcp-langgraph/db/testing';
import { createPostgresCheckpointer } from './checkpointer.js';
import type { AgentDatabase } from './store/threads.js';
import { type Harness, startAgent } from './testing/harness.js';

describeWithPostgres('agent on PostgreSQL (threads, checkpoints, tuples)', () => {
  let agent: Harness;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const test = await createTestSchema();
    drop = test.drop;
    agent = await startAgent({
      stores: async () => ({
        database: createDatabase<AgentDatabase>({ url: TEST_DATABASE_URL, schema: test.schema }),
        checkpointer: await createPostgresCheckpointer(TEST_DATABASE_URL, test.schema),
        authorizer: await createAuthorizer({ databaseUrl: TEST_DATABASE_URL, schema: test.schema }),
      }),
    });
  });
  afterAll(async () => {
    await agent?.close();
    await drop?.();
  });

  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(`${agent.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: response bodies are what the assertions examine
    return { status: res.status, body: (await res.json()) as any };
  };

  it('keeps a conversation across runs and lists it only for its owner', async () => {
    const owner = agent.issuer.sign({ sub: randomUUID() });
    const created = await call('POST', '/threads', owner, {});
    expect(created.status).toBe(201);
    const id = created.body.thread_id as string;
    const ask = (content: string) => ({ input: { messages: [{ role: 'user', content }] } });

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
    const stranger = agent.issuer.sign({ sub: randomUUID() });
    expect((await call('GET', `/threads/${id}/state`, stranger)).status).toBe(404);
    expect((await call('POST', '/threads/search', stranger, {})).body).toEqual([]);

    const deleted = await fetch(`${agent.url}/threads/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${owner}` },
    });
    expect(deleted.status).toBe(204);
    expect(await agent.checkpointer.saver.getTuple({ configurable: { thread_id: id } })).toBeUndefined();
    expect((await call('GET', `/threads/${id}/state`, owner)).status).toBe(404);
  });
});
