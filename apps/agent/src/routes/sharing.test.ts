import { randomUUID } from 'node:crypto';
import type { Client } from '@langchain/langgraph-sdk';
import { humanInput as ask } from '../testing/gate.js';
import { useAgent } from '../testing/setup.js';

const { agent, sdk, call, tokenFor } = useAgent();

/** Every thread call of the SDK on `threadId` (and run `runId`), labelled, as `client` makes it. */
function threadCalls(
  client: Client,
  threadId: string,
  runId: string,
): Array<[string, () => Promise<unknown>]> {
  return [
    ['threads.get', () => client.threads.get(threadId)],
    ['threads.update', () => client.threads.update(threadId, { metadata: { x: 1 } })],
    ['threads.delete', () => client.threads.delete(threadId)],
    ['threads.getState', () => client.threads.getState(threadId)],
    [
      'threads.updateState',
      () => client.threads.updateState(threadId, { values: { messages: [] }, asNode: 'respond' }),
    ],
    ['threads.getHistory', () => client.threads.getHistory(threadId)],
    ['threads.copy', () => client.threads.copy(threadId)],
    ['runs.create', () => client.runs.create(threadId, 'agent', ask('hi'))],
    ['runs.wait', () => client.runs.wait(threadId, 'agent', ask('hi'))],
    ['runs.list', () => client.runs.list(threadId)],
    ['runs.get', () => client.runs.get(threadId, runId)],
    ['runs.join', () => client.runs.join(threadId, runId)],
    ['runs.cancel', () => client.runs.cancel(threadId, runId)],
    ['runs.delete', () => client.runs.delete(threadId, runId)],
  ];
}

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (err: { status?: number }) => err.status ?? String(err),
  );

/** The SSE routes refuse before streaming: their plain answer to `token`. */
async function streamStatus(token: string, threadId: string, runId: string) {
  return [
    (await call('POST', `/threads/${threadId}/runs/stream`, token, { assistant_id: 'agent', ...ask('hi') }))
      .status,
    (await call('GET', `/threads/${threadId}/runs/${runId}/stream`, token)).status,
  ];
}

describe('who may do what with a conversation', () => {
  let threadId: string;
  let runId: string;
  let owner: string;
  beforeAll(async () => {
    owner = randomUUID();
    const client = sdk(owner);
    threadId = (await client.threads.create()).thread_id;
    const run = await client.runs.create(threadId, 'agent', ask('What is 1 + 1?'));
    runId = run.run_id;
    await client.runs.join(threadId, runId);
  });

  it('answers another user 404 on every thread route, and shows them nothing in search', async () => {
    const stranger = randomUUID();
    const client = sdk(stranger);
    for (const [name, request] of threadCalls(client, threadId, runId))
      expect([name, await outcome(request())]).toEqual([name, 404]);
    expect(await streamStatus(tokenFor(stranger), threadId, runId)).toEqual([404, 404]);
    expect(await client.threads.search()).toEqual([]);
    expect(await client.threads.count()).toBe(0);
    // The owner's thread was not touched.
    expect((await sdk(owner).threads.getState(threadId)).values).toMatchObject({
      messages: expect.any(Array),
    });
  });

  it('lets a viewer read but not run, an editor run but not delete or share; removal takes effect', async () => {
    const viewer = randomUUID();
    const editor = randomUUID();
    const own = sdk(owner);
    const share = (user: string, role: string, method = 'POST') =>
      call(method, `/threads/${threadId}/share`, tokenFor(owner), { user: `user:${user}`, role });
    expect((await share(viewer, 'viewer')).status).toBe(204);
    expect((await share(editor, 'editor')).status).toBe(204);

    const asViewer = sdk(viewer);
    expect((await asViewer.threads.get(threadId)).thread_id).toBe(threadId);
    expect((await asViewer.threads.getHistory(threadId)).length).toBeGreaterThan(0);
    expect((await asViewer.runs.list(threadId)).map((r) => r.run_id)).toContain(runId);
    expect((await asViewer.threads.search()).map((t) => t.thread_id)).toEqual([threadId]);
    expect(await outcome(asViewer.runs.wait(threadId, 'agent', ask('What is 2 + 2?')))).toBe(404);
    expect(await outcome(asViewer.threads.update(threadId, { metadata: { by: 'viewer' } }))).toBe(404);

    const asEditor = sdk(editor);
    const values = (await asEditor.runs.wait(threadId, 'agent', ask('What is 6 * 7?'))) as {
      messages: Array<{ content: unknown }>;
    };
    expect(values.messages.at(-1)!.content).toBe('6 * 7 = 42.');
    expect(await outcome(asEditor.threads.delete(threadId))).toBe(404);
    expect(
      (
        await call('POST', `/threads/${threadId}/share`, tokenFor(editor), {
          user: `user:${viewer}`,
          role: 'editor',
        })
      ).status,
    ).toBe(404);

    expect((await share(viewer, 'viewer', 'DELETE')).status).toBe(204);
    expect(await outcome(asViewer.threads.get(threadId))).toBe(404);
    expect(await outcome(own.threads.get(threadId))).toBe('ok');
  });

  it('refuses a share that names no subject or role (422)', async () => {
    for (const body of [
      { user: 'alice', role: 'viewer' },
      { user: `user:${randomUUID()}`, role: 'owner' },
      {},
    ])
      expect((await call('POST', `/threads/${threadId}/share`, tokenFor(owner), body)).status).toBe(422);
  });

  it('deletes the shares with the thread', async () => {
    const client = sdk(owner);
    const { thread_id } = await client.threads.create();
    const friend = randomUUID();
    await call('POST', `/threads/${thread_id}/share`, tokenFor(owner), {
      user: `user:${friend}`,
      role: 'editor',
    });
    await client.threads.delete(thread_id);
    expect(
      await agent().authorizer.check({
        user: `user:${friend}`,
        relation: 'editor',
        object: `conversation:${thread_id}`,
      }),
    ).toBe(false);
  });
});
