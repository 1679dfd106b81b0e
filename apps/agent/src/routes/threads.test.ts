import { randomUUID } from 'node:crypto';
import { userMessageRun as ask } from '@mcp-langgraph/protocol';
import { useAgent } from '../testing/setup.js';

const { agent, call, tokenFor, createThread } = useAgent();
const alice = randomUUID();
const bob = randomUUID();

describe('threads: create, search, show, delete, share', () => {
  it('hides one user’s threads from another (404, never 403)', async () => {
    const id = await createThread(tokenFor(alice));
    const other = tokenFor(bob);
    const state = await call('GET', `/threads/${id}/state`, other);
    expect(state.status).toBe(404);
    expect(state.body.error).toBe('not_found');
    const run = await call('POST', `/threads/${id}/runs/wait`, other, ask('What is 1 + 1?'));
    expect(run.status).toBe(404);
    const search = await call('POST', '/threads/search', other, {});
    expect(search.body.map((t: { thread_id: string }) => t.thread_id)).not.toContain(id);
    // The owner's conversation was not touched by the refused run.
    const own = await call('GET', `/threads/${id}/state`, tokenFor(alice));
    expect(own.body.values.messages).toEqual([]);
  });

  it('follows shared relations: an editor may run, a viewer may only read', async () => {
    const id = await createThread(tokenFor(alice));
    const carol = randomUUID();
    const dave = randomUUID();
    await agent().authorizer.write([
      { user: `user:${carol}`, relation: 'editor', object: `conversation:${id}` },
      { user: `user:${dave}`, relation: 'viewer', object: `conversation:${id}` },
    ]);
    const byEditor = await call('POST', `/threads/${id}/runs/wait`, tokenFor(carol), ask('What is 6 * 7?'));
    expect(byEditor.status).toBe(200);
    expect(byEditor.body.answer).toBe('6 * 7 = 42.');
    const byViewer = await call('POST', `/threads/${id}/runs/wait`, tokenFor(dave), ask('What is 1 + 1?'));
    expect(byViewer.status).toBe(404);
    const read = await call('GET', `/threads/${id}/state`, tokenFor(dave));
    expect(read.status).toBe(200);
    expect(read.body.values.messages).toHaveLength(4);
    const listed = await call('POST', '/threads/search', tokenFor(dave), {});
    expect(listed.body.map((t: { thread_id: string }) => t.thread_id)).toEqual([id]);
  });

  it('shows one thread and lets only its owner delete it, with its history', async () => {
    const owner = tokenFor(alice);
    const id = await createThread(owner, { topic: 'delete me' });
    await call('POST', `/threads/${id}/runs/wait`, owner, ask('What is 3 * 3?'));
    const shown = await call('GET', `/threads/${id}`, owner);
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual({
      thread_id: id,
      created_at: expect.any(String),
      updated_at: expect.any(String),
      metadata: { topic: 'delete me' },
      title: 'What is 3 * 3?',
    });
    expect((await call('GET', `/threads/${id}`, tokenFor(bob))).status).toBe(404);

    const editor = randomUUID();
    await agent().authorizer.write([
      { user: `user:${editor}`, relation: 'editor', object: `conversation:${id}` },
    ]);
    expect((await call('DELETE', `/threads/${id}`, tokenFor(editor))).status).toBe(404);
    expect(
      (await call('DELETE', `/threads/${id}`, tokenFor(alice, { scope: 'conversations:read' }))).status,
    ).toBe(403);
    const config = { configurable: { thread_id: id } };
    expect(await agent().checkpointer.saver.getTuple(config)).toBeDefined();

    const deleted = await call('DELETE', `/threads/${id}`, owner);
    expect(deleted.status).toBe(204);
    expect(await agent().checkpointer.saver.getTuple(config)).toBeUndefined();
    expect(
      await agent().authorizer.check({
        user: `user:${alice}`,
        relation: 'owner',
        object: `conversation:${id}`,
      }),
    ).toBe(false);
    expect((await call('GET', `/threads/${id}`, owner)).status).toBe(404);
    expect((await call('GET', `/threads/${id}/state`, owner)).status).toBe(404);
    expect((await call('POST', `/threads/${id}/runs/wait`, tokenFor(editor), ask('hi'))).status).toBe(404);
    const listed = await call('POST', '/threads/search', owner, { limit: 100 });
    expect(listed.body.map((t: { thread_id: string }) => t.thread_id)).not.toContain(id);
    expect((await call('DELETE', `/threads/${id}`, owner)).status).toBe(404);
  });

  it('serves client-credential subjects as their own owners', async () => {
    const token = tokenFor('reporting-service', { sub_type: 'client' });
    const id = await createThread(token);
    const run = await call('POST', `/threads/${id}/runs/wait`, token, ask('what time is it in UTC?'));
    expect(run.status).toBe(200);
    expect(run.body.answer).toMatch(/^The current time in UTC is .+\(\d{4}-\d{2}-\d{2}T/);
    expect((await call('GET', `/threads/${id}/state`, tokenFor('reporting-service'))).status).toBe(404);
  });

  it('pages search results, most recently active first', async () => {
    const erin = randomUUID();
    const token = tokenFor(erin);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await createThread(token, { n: i }));
    await call('POST', `/threads/${ids[0]}/runs/wait`, token, ask('What is 2 + 2?'));
    const all = await call('POST', '/threads/search', token, { limit: 100 });
    expect(all.body).toHaveLength(3);
    expect(all.body[0].thread_id).toBe(ids[0]);
    expect(all.body[0].title).toBe('What is 2 + 2?');
    expect(all.body.slice(1).map((t: { title: unknown }) => t.title)).toEqual([null, null]);
    const page = await call('POST', '/threads/search', token, { limit: 1, offset: 1 });
    expect(page.body).toEqual([all.body[1]]);
    expect((await call('POST', '/threads/search', token, { limit: 0 })).status).toBe(400);
    expect((await call('POST', '/threads/search', token, { limit: 101 })).status).toBe(400);
    expect((await call('POST', '/threads/search', token, { offset: -1 })).status).toBe(400);
  });
});
