import { randomUUID } from 'node:crypto';
import { callTool } from '@mcp-langgraph/testing';
import type { Client } from '@modelcontextprotocol/client';
import { type EdgeUnderTest, startEdge } from '../testing/harness.js';
import { connectAt, MODERN, postModern, postRaw, REVISIONS, type Revision } from '../testing/revisions.js';

let edge: EdgeUnderTest;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(async () => {
  await edge.close();
});

/** What a protocol error thrown by the client SDK carries. */
async function errorOf(
  promise: Promise<unknown>,
): Promise<{ code: number; message: string; data?: unknown }> {
  try {
    await promise;
  } catch (err) {
    return err as { code: number; message: string; data?: unknown };
  }
  throw new Error('expected the request to fail');
}

async function startConversation(client: Client, message: string): Promise<string> {
  const result = await callTool(client, 'chat', { message });
  return (result.structuredContent as { thread_id: string }).thread_id;
}

describe.each(REVISIONS)('conversation resources over %s', (revision) => {
  let client: Client;
  let threadId: string;
  beforeAll(async () => {
    client = await connectAt(edge.mcpUrl, edge.token({ sub: randomUUID() }), revision);
    threadId = await startConversation(client, 'hello resources');
  });
  afterAll(async () => {
    await client.close();
  });

  it('offers the conversation template with a title, description and media type', async () => {
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates).toEqual([
      expect.objectContaining({
        name: 'conversation',
        uriTemplate: 'conversation://{thread_id}',
        title: 'Conversation',
        mimeType: 'text/markdown',
        description: expect.stringContaining('application/json'),
      }),
    ]);
  });

  it('lists the caller’s conversations by title', async () => {
    const { resources } = await client.listResources();
    expect(resources).toContainEqual(
      expect.objectContaining({
        uri: `conversation://${threadId}`,
        name: threadId,
        title: 'hello resources',
        mimeType: 'text/markdown',
      }),
    );
  });

  it('reads a conversation as a Markdown transcript and as JSON messages', async () => {
    const uri = `conversation://${threadId}`;
    const { contents } = await client.readResource({ uri });
    expect(contents.map((c) => [c.uri, c.mimeType])).toEqual([
      [uri, 'text/markdown'],
      [uri, 'application/json'],
    ]);
    const [markdown, json] = contents.map((c) => ('text' in c ? c.text : ''));
    expect(markdown).toContain('# hello resources');
    expect(markdown).toContain('## User\n\nhello resources');
    expect(markdown).toContain('## Assistant\n\nYou said: hello resources');
    expect(JSON.parse(json ?? '')).toEqual({
      thread_id: threadId,
      messages: [
        { role: 'user', content: 'hello resources' },
        { role: 'assistant', content: 'You said: hello resources' },
      ],
    });
  });

  it('answers another user’s conversation exactly as a missing one: resource not found', async () => {
    const other = await connectAt(edge.mcpUrl, edge.token({ sub: randomUUID() }), revision);
    const missingId = randomUUID();
    const forbidden = await errorOf(other.readResource({ uri: `conversation://${threadId}` }));
    const missing = await errorOf(other.readResource({ uri: `conversation://${missingId}` }));
    const malformed = await errorOf(other.readResource({ uri: 'conversation://not-a-thread' }));
    const { resources } = await other.listResources();
    await other.close();
    expect(forbidden.code).toBe(-32602);
    expect(forbidden.data).toEqual({ uri: `conversation://${threadId}` });
    for (const e of [missing, malformed]) expect(e.code).toBe(forbidden.code);
    expect(missing.message.replace(missingId, 'ID')).toBe(forbidden.message.replace(threadId, 'ID'));
    expect(resources.map((r) => r.uri)).not.toContain(`conversation://${threadId}`);
  });

  it('asks for conversations:read when the token lacks it', async () => {
    const narrow = await connectAt(
      edge.mcpUrl,
      edge.token({ sub: randomUUID(), scope: 'mcp:tools conversations:write' }),
      revision,
    );
    const e = await errorOf(narrow.readResource({ uri: `conversation://${threadId}` }));
    await narrow.close();
    expect(e.message).toContain('conversations:read');
  });
});

describe('resources/list pages', () => {
  const user = randomUUID();
  const ids: string[] = [];
  beforeAll(async () => {
    const client = await connectAt(edge.mcpUrl, edge.token({ sub: user }), MODERN);
    for (let i = 0; i < 53; i += 1) ids.push(await startConversation(client, `conversation ${i}`));
    await client.close();
  });

  const firstPage = (revision: Revision) =>
    revision === MODERN
      ? postModern(edge.mcpUrl, edge.token({ sub: user }), 'resources/list')
      : postRaw(
          edge.mcpUrl,
          edge.token({ sub: user }),
          { jsonrpc: '2.0', id: 1, method: 'resources/list' },
          { 'mcp-protocol-version': revision },
        );

  it.each(REVISIONS)('come 50 at a time with a cursor to the rest over %s', async (revision) => {
    const { body } = await firstPage(revision);
    const page = body.result as { resources: Array<{ uri: string }>; nextCursor?: string };
    expect(page.resources).toHaveLength(50);
    // Most recently updated first: the newest conversation is on the first page, the oldest not.
    expect(page.resources.map((r) => r.uri)).toContain(`conversation://${ids.at(-1)}`);
    expect(page.resources.map((r) => r.uri)).not.toContain(`conversation://${ids[0]}`);
    expect(page.nextCursor).toEqual(expect.any(String));

    const client = await connectAt(edge.mcpUrl, edge.token({ sub: user }), revision);
    const rest = await client.listResources({ cursor: page.nextCursor! });
    const all = await client.listResources();
    await client.close();
    expect(rest.resources).toHaveLength(3);
    expect(rest.nextCursor).toBeUndefined();
    const seen = [...page.resources, ...rest.resources].map((r) => r.uri);
    expect(new Set(seen).size).toBe(53);
    expect(all.resources.map((r) => r.uri).sort()).toEqual(ids.map((id) => `conversation://${id}`).sort());
  });

  it.each(['not-a-cursor', Buffer.from('conversations:-1').toString('base64url'), 'x'.repeat(500)])(
    'refuses a cursor it did not hand out (%#) as invalid params',
    async (cursor) => {
      const { body } = await postModern(edge.mcpUrl, edge.token({ sub: user }), 'resources/list', { cursor });
      expect(body.error).toMatchObject({ code: -32602, message: expect.stringContaining('cursor') });
    },
  );

  it('marks reads and lists private and not to be reused on 2026-07-28', async () => {
    const token = edge.token({ sub: user });
    const list = await postModern(edge.mcpUrl, token, 'resources/list');
    const read = await postModern(edge.mcpUrl, token, 'resources/read', { uri: `conversation://${ids[0]}` });
    for (const { body } of [list, read])
      expect(body.result).toMatchObject({ ttlMs: 0, cacheScope: 'private' });
  });
});

describe('the reading budget', () => {
  let limited: EdgeUnderTest;
  beforeAll(async () => {
    limited = await startEdge({ toolCallsPerMinute: 3 });
  });
  afterAll(async () => {
    await limited.close();
  });

  it('spends one budget for resources, prompts and completions, per user, and says when to retry', async () => {
    const user = randomUUID();
    const client = await connectAt(limited.mcpUrl, limited.token({ sub: user }), '2026-07-28');
    try {
      const threadId = await startConversation(client, 'hello budget');
      await client.listResources();
      await client.readResource({ uri: `conversation://${threadId}` });
      await client.getPrompt({ name: 'summarize_conversation', arguments: { thread_id: threadId } });
      const refused = await errorOf(client.readResource({ uri: `conversation://${threadId}` }));
      expect(refused.message).toMatch(/too many requests for conversations; try again in \d+ s/);
      const completion = await errorOf(
        client.complete({
          ref: { type: 'ref/resource', uri: 'conversation://{thread_id}' },
          argument: { name: 'thread_id', value: '' },
        }),
      );
      expect(completion.message).toMatch(/too many requests/);
      // Another user's budget is their own.
      const other = await connectAt(limited.mcpUrl, limited.token({ sub: randomUUID() }), '2026-07-28');
      await expect(other.listResources()).resolves.toBeDefined();
      await other.close();
      const metrics = await limited.metrics.registry.metrics();
      expect(metrics).toMatch(/conversation_reads/);
    } finally {
      await client.close();
    }
  });
});
