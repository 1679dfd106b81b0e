import { randomUUID } from 'node:crypto';
import { callTool } from '@mcp-langgraph/testing';
import type { Client } from '@modelcontextprotocol/client';
import { type EdgeUnderTest, startEdge } from '../testing/harness.js';
import { connectAt, MODERN, postModern, REVISIONS } from '../testing/revisions.js';

let edge: EdgeUnderTest;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(async () => {
  await edge.close();
});

async function errorOf(promise: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code: number; message: string };
  }
  throw new Error('expected the request to fail');
}

describe.each(REVISIONS)('prompts and completions over %s', (revision) => {
  let client: Client;
  let threadId: string;
  let otherThread: string;
  beforeAll(async () => {
    client = await connectAt(edge.mcpUrl, edge.token({ sub: randomUUID() }), revision);
    const chat = await callTool(client, 'chat', { message: 'budget for the offsite' });
    threadId = (chat.structuredContent as { thread_id: string }).thread_id;
    const other = await connectAt(edge.mcpUrl, edge.token({ sub: randomUUID() }), revision);
    const theirs = await callTool(other, 'chat', { message: 'budget of someone else' });
    otherThread = (theirs.structuredContent as { thread_id: string }).thread_id;
    await other.close();
  });
  afterAll(async () => {
    await client.close();
  });

  it('lists the three prompts with described arguments', async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual([
      'summarize_conversation',
      'continue_conversation',
      'ask_the_docs',
    ]);
    for (const p of prompts) {
      expect(p.description).toBeTruthy();
      expect(p.arguments?.[0]).toMatchObject({ required: true, description: expect.any(String) });
    }
    expect(prompts.find((p) => p.name === 'ask_the_docs')?.arguments?.[0]?.name).toBe('topic');
  });

  it('summarize_conversation embeds the transcript with an instruction', async () => {
    const result = await client.getPrompt({
      name: 'summarize_conversation',
      arguments: { thread_id: threadId },
    });
    const [instruction, embedded] = result.messages;
    expect(instruction?.content).toMatchObject({ type: 'text', text: expect.stringContaining('Summarize') });
    expect(embedded?.content).toMatchObject({
      type: 'resource',
      resource: { uri: `conversation://${threadId}`, mimeType: 'text/markdown' },
    });
    const text = (embedded?.content as { resource?: { text?: string } } | undefined)?.resource?.text;
    expect(text).toContain('## Assistant\n\nYou said: budget for the offsite');
  });

  it('continue_conversation says how to send the next message in that conversation', async () => {
    const result = await client.getPrompt({
      name: 'continue_conversation',
      arguments: { thread_id: threadId },
    });
    expect(result.messages[0]?.content).toMatchObject({ type: 'resource' });
    expect(JSON.stringify(result.messages[1]?.content)).toContain(
      `chat tool with thread_id \\"${threadId}\\"`,
    );
  });

  it('ask_the_docs asks the assistant about the topic', async () => {
    const result = await client.getPrompt({ name: 'ask_the_docs', arguments: { topic: 'rate limits' } });
    expect(JSON.stringify(result.messages)).toContain('What do the docs say about rate limits?');
  });

  it('refuses someone else’s conversation, an unknown prompt and a missing argument', async () => {
    const theirs = await errorOf(
      client.getPrompt({ name: 'summarize_conversation', arguments: { thread_id: otherThread } }),
    );
    expect(theirs.message).toContain('conversation not found or not yours');
    expect(theirs.code).toBe(-32602);
    const unknown = await errorOf(client.getPrompt({ name: 'write_a_poem', arguments: {} }));
    expect(unknown.code).toBe(-32602);
    expect(unknown.message).toContain('write_a_poem');
    const missing = await errorOf(client.getPrompt({ name: 'ask_the_docs', arguments: {} }));
    expect(missing.code).toBe(-32602);
  });

  it.each([
    ['the template', { type: 'ref/resource', uri: 'conversation://{thread_id}' }],
    ['a prompt', { type: 'ref/prompt', name: 'summarize_conversation' }],
  ] as const)('completes thread_id of %s from the caller’s conversations only', async (_what, ref) => {
    const byPrefix = await client.complete({
      ref,
      argument: { name: 'thread_id', value: threadId.slice(0, 6) },
    });
    expect(byPrefix.completion.values).toEqual([threadId]);
    const byTitle = await client.complete({ ref, argument: { name: 'thread_id', value: 'budget' } });
    expect(byTitle.completion.values).toEqual([threadId]);
    const theirs = await client.complete({
      ref,
      argument: { name: 'thread_id', value: otherThread.slice(0, 8) },
    });
    expect(theirs.completion.values).not.toContain(otherThread);
  });

  it('completes docs topics and refuses an unknown prompt', async () => {
    const topics = await client.complete({
      ref: { type: 'ref/prompt', name: 'ask_the_docs' },
      argument: { name: 'topic', value: 'sec' },
    });
    expect(topics.completion.values).toEqual(['security']);
    const e = await errorOf(
      client.complete({ ref: { type: 'ref/prompt', name: 'nope' }, argument: { name: 'x', value: '' } }),
    );
    expect(e.code).toBe(-32602);
  });
});

describe('completion bounds', () => {
  it('answers at most 100 values and says there are more', async () => {
    const user = randomUUID();
    const client = await connectAt(edge.mcpUrl, edge.token({ sub: user }), MODERN);
    for (let i = 0; i < 102; i += 1) await callTool(client, 'chat', { message: `note ${i}` });
    await client.close();
    const { body } = await postModern(edge.mcpUrl, edge.token({ sub: user }), 'completion/complete', {
      ref: { type: 'ref/resource', uri: 'conversation://{thread_id}' },
      argument: { name: 'thread_id', value: '' },
    });
    const completion = (body.result as { completion: { values: string[]; total: number; hasMore: boolean } })
      .completion;
    expect(completion.values).toHaveLength(100);
    expect(completion).toMatchObject({ total: 102, hasMore: true });
  });
});
