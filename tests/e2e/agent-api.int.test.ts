import { Client } from '@langchain/langgraph-sdk';
import { callTool } from '@mcp-langgraph/testing';
import { type Discovery, discover, register } from './oauth-client.js';
import { REDIRECT_URI, useStack } from './stack.js';

/**
 * An API consumer with the official LangGraph SDK, through the edge's `/agent` with the same OAuth
 * token as `/mcp`: the agent's Agent Protocol API, streaming included, over the same conversations
 * the MCP tools see, private to their owner.
 */

const stack = useStack();
let discovery: Discovery;
let clientId: string;
let alice: Client;
let aliceToken: string;

const sdk = (token: string) =>
  new Client({
    apiUrl: `${stack.services().urls.edge}/agent`,
    defaultHeaders: { Authorization: `Bearer ${token}` },
    callerOptions: { maxRetries: 0 },
  });

describe('the LangGraph SDK against <edge>/agent', () => {
  beforeAll(async () => {
    discovery = await stack.explained(() => discover(stack.services().urls.mcp));
    clientId = await register(discovery, REDIRECT_URI);
    aliceToken = await stack.signIn(discovery, clientId, 'alice', 'secret-a');
    alice = sdk(aliceToken);
  });

  it('refuses a caller without a token, with the MCP challenge', async () => {
    const res = await fetch(`${stack.services().urls.edge}/agent/threads/search`, { method: 'POST' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('resource_metadata=');
  });

  it('finds the assistant, streams a run token by token, and reads the state back', async () => {
    const assistants = await alice.assistants.search({ graphId: 'agent' });
    expect(assistants.map((a) => a.graph_id)).toEqual(['agent']);
    const thread = await alice.threads.create({ metadata: { source: 'sdk' } });
    const events: string[] = [];
    const tokens: Array<{ id: string; content: string }> = [];
    let lastValues: { messages?: Array<{ type: string; content: unknown; id?: string }> } | undefined;
    for await (const chunk of alice.runs.stream(thread.thread_id, 'agent', {
      input: { messages: [{ type: 'human', content: 'What is 17 * 23?' }] },
      streamMode: ['messages-tuple', 'values', 'updates'],
    })) {
      events.push(chunk.event);
      if (chunk.event === 'values') lastValues = chunk.data as typeof lastValues;
      if (chunk.event === 'messages') {
        const [message] = chunk.data as [{ id: string; content: unknown }, unknown];
        if (typeof message.content === 'string' && message.content)
          tokens.push({ id: message.id, content: message.content });
      }
    }
    expect(events[0]).toBe('metadata');
    expect(events).toEqual(expect.arrayContaining(['messages', 'values', 'updates']));
    const answer = lastValues?.messages?.at(-1);
    expect(JSON.stringify(answer?.content)).toContain('391');
    // The answer came token by token: several chunks of the answer's message that add up to it.
    const answerTokens = tokens.filter((t) => t.id === answer?.id);
    expect(answerTokens.length).toBeGreaterThan(1);
    expect(answerTokens.map((t) => t.content).join('')).toBe(answer?.content);
    const state = await alice.threads.getState(thread.thread_id);
    expect(state.next).toEqual([]);
    const history = await alice.threads.getHistory(thread.thread_id, { limit: 2 });
    expect(history.length).toBeGreaterThan(0);
    const waited = (await alice.runs.wait(thread.thread_id, 'agent', {
      input: { messages: [{ type: 'human', content: 'And times 2?' }] },
    })) as { messages: Array<{ content: unknown }> };
    expect(JSON.stringify(waited.messages.at(-1)?.content)).toContain('782');
  });

  it('shares its conversations with the MCP tools', async () => {
    const thread = await alice.threads.create();
    await alice.runs.wait(thread.thread_id, 'agent', {
      input: { messages: [{ type: 'human', content: 'What is 2 + 3?' }] },
    });
    const mcp = await stack.connect(aliceToken);
    const list = await callTool(mcp, 'list_conversations', {});
    expect(JSON.stringify(list.structuredContent)).toContain(thread.thread_id);
    const read = await callTool(mcp, 'get_conversation', { thread_id: thread.thread_id });
    expect(JSON.stringify(read.structuredContent)).toContain('What is 2 + 3?');
  });

  it("keeps alice's threads from bob", async () => {
    const thread = await alice.threads.create();
    const bob = sdk(await stack.signIn(discovery, clientId, 'bob', 'secret-b'));
    await expect(bob.threads.get(thread.thread_id)).rejects.toThrow(/404/);
    await expect(
      bob.runs.wait(thread.thread_id, 'agent', { input: { messages: [{ type: 'human', content: 'hi' }] } }),
    ).rejects.toThrow(/404/);
    const found = await bob.threads.search({ limit: 100 });
    expect(found.map((t) => t.thread_id)).not.toContain(thread.thread_id);
  });
});
