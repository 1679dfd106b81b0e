import { randomUUID } from 'node:crypto';
import { callTool, connectMcp, textOf } from '@mcp-langgraph/testing';
import type { Client } from '@modelcontextprotocol/client';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { type EdgeUnderTest, startEdge } from '../testing/harness.js';

let edge: EdgeUnderTest;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(async () => {
  await edge.close();
});

const ERAS = [
  ['2025 revisions (initialize handshake)', 'legacy', /^2025-/],
  ['2026-07-28 (per-request envelope)', 'auto', /^2026-07-28$/],
] as const;

const connect = (token: string, mode: 'legacy' | 'auto') =>
  connectMcp(edge.mcpUrl, token, { mode, name: 'edge-test' });

describe.each(ERAS)('MCP tools over %s', (_era, mode, version) => {
  const user = randomUUID();
  let client: Client;
  beforeAll(async () => {
    client = await connect(edge.token({ sub: user, username: 'alice' }), mode);
  });
  afterAll(async () => {
    await client.close();
  });

  it('negotiates the expected protocol revision and sends instructions', () => {
    expect(client.getNegotiatedProtocolVersion()).toMatch(version);
    expect(client.getInstructions()).toContain('chat');
  });

  it('lists the tools with input schemas and annotations', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'chat',
      'delete_conversation',
      'get_conversation',
      'list_conversations',
      'share_conversation',
    ]);
    const chat = tools.find((t) => t.name === 'chat')!;
    expect(chat.inputSchema.required).toEqual(['message']);
    expect(chat.outputSchema).toBeDefined();
    expect(tools.find((t) => t.name === 'get_conversation')!.annotations?.readOnlyHint).toBe(true);
    expect(chat.annotations?.readOnlyHint).toBe(false);
  });

  it('chats through the agent with an exchanged token, never the caller’s', async () => {
    const userToken = edge.token({ sub: user });
    const c = await connect(userToken, mode);
    const before = edge.agent.tokensSeen.length;
    const result = await callTool(c, 'chat', { message: 'hello there' });
    await c.close();
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe('You said: hello there');
    const structured = result.structuredContent as { thread_id: string; answer: string };
    expect(structured.answer).toBe('You said: hello there');
    expect(structured.thread_id).toMatch(/^[0-9a-f-]{36}$/);
    const seen = edge.agent.tokensSeen.slice(before);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    for (const t of seen) expect(t).not.toBe(userToken);
  });

  it('reports progress while the assistant works, when asked to', async () => {
    const updates: string[] = [];
    const result = (await client.callTool(
      { name: 'chat', arguments: { message: 'progress please' } },
      { onprogress: (p) => updates.push(p.message ?? '') },
    )) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe('You said: progress please');
    // The run is streamed from the agent: its steps become progress notifications, and the
    // answer's token chunks too, each carrying the answer so far.
    const answer = 'You said: progress please';
    const partials = updates.filter((u) => answer.startsWith(u));
    expect(partials.length).toBeGreaterThan(1);
    expect(partials.at(-1)).toBe(answer);
    for (const [i, text] of partials.entries())
      if (i > 0) expect(text.length).toBeGreaterThan(partials[i - 1]!.length);
    expect(updates.filter((u) => !answer.startsWith(u))).toEqual([
      'started a new conversation',
      'the assistant is working on the answer',
      'using echo',
      'echo answered',
      'the answer is ready',
    ]);
    expect(updates.indexOf(answer)).toBeLessThan(updates.indexOf('the answer is ready'));
  });

  it('turns a run that fails mid-stream into a clear tool error', async () => {
    edge.agent.streamError = 'run_timeout';
    try {
      const result = (await client.callTool(
        { name: 'chat', arguments: { message: 'too slow' } },
        { onprogress: () => {} },
      )) as CallToolResult;
      expect(result.isError).toBe(true);
      expect(textOf(result)).toBe(
        'the assistant took too long to answer; try again or ask something simpler',
      );
    } finally {
      edge.agent.streamError = undefined;
    }
  });

  it('continues a conversation, reads it back and lists it', async () => {
    const first = await callTool(client, 'chat', { message: 'one' });
    const threadId = (first.structuredContent as { thread_id: string }).thread_id;
    const second = await callTool(client, 'chat', { message: 'two', thread_id: threadId });
    expect((second.structuredContent as { thread_id: string }).thread_id).toBe(threadId);

    const conv = await callTool(client, 'get_conversation', { thread_id: threadId });
    expect(conv.isError).toBeFalsy();
    const messages = (conv.structuredContent as { messages: Array<{ role: string; content: string }> })
      .messages;
    expect(messages.map((m) => m.content)).toEqual(['one', 'You said: one', 'two', 'You said: two']);
    expect(textOf(conv)).toContain('assistant: You said: two');

    const list = await callTool(client, 'list_conversations', {});
    const ids = (list.structuredContent as { conversations: Array<{ thread_id: string }> }).conversations.map(
      (c) => c.thread_id,
    );
    expect(ids).toContain(threadId);
  });

  it('tells another user the conversation is not found or not theirs', async () => {
    const first = await callTool(client, 'chat', { message: 'secret' });
    const threadId = (first.structuredContent as { thread_id: string }).thread_id;
    const other = await connect(edge.token({ sub: randomUUID() }), mode);
    const read = await callTool(other, 'get_conversation', { thread_id: threadId });
    const write = await callTool(other, 'chat', { message: 'hi', thread_id: threadId });
    const list = await callTool(other, 'list_conversations', {});
    await other.close();
    expect(read.isError).toBe(true);
    expect(textOf(read)).toBe('conversation not found or not yours');
    expect(write.isError).toBe(true);
    expect(textOf(write)).toBe('conversation not found or not yours');
    expect(JSON.stringify(list.structuredContent)).not.toContain(threadId);
  });

  it('rejects an unknown tool with an MCP error', async () => {
    await expect(client.callTool({ name: 'delete_everything', arguments: {} })).rejects.toThrow(
      /delete_everything/,
    );
  });

  it.each([
    ['a missing message', { thread_id: randomUUID() }, 'message'],
    ['a message of the wrong type', { message: 42 }, 'message'],
    ['an empty message', { message: '' }, 'message'],
    ['a thread id that is not a UUID', { message: 'hi', thread_id: 'abc' }, 'thread_id'],
  ])('refuses %s and names the field', async (_name, args, field) => {
    let text = '';
    try {
      const r = await callTool(client, 'chat', args);
      expect(r.isError).toBe(true);
      text = textOf(r);
    } catch (err) {
      text = (err as Error).message;
    }
    expect(text).toContain(field);
  });
});

describe('tool authorization', () => {
  it('denies a caller without executor on the tool, and says so', async () => {
    // A client token (sub_type client) is not covered by the user:* seed tuples.
    const client = await connect(edge.token({ sub: 'batch-job', sub_type: 'client' }), 'legacy');
    const before = edge.agent.tokensSeen.length;
    const r = await callTool(client, 'chat', { message: 'hi' });
    await client.close();
    expect(r.isError).toBe(true);
    expect(textOf(r)).toBe('you are not allowed to use the tool "chat"');
    expect(edge.agent.tokensSeen.length).toBe(before);
  });

  it('allows that caller once it is granted executor', async () => {
    await edge.authorizer.write([
      { user: 'client:reporting', relation: 'executor', object: 'tool:list_conversations' },
    ]);
    const client = await connect(edge.token({ sub: 'reporting', sub_type: 'client' }), 'legacy');
    const r = await callTool(client, 'list_conversations', {});
    await client.close();
    expect(r.isError).toBeFalsy();
  });

  it('denies when the authorization engine fails (fail closed)', async () => {
    const check = jest.spyOn(edge.authorizer, 'check').mockRejectedValueOnce(new Error('store unavailable'));
    const client = await connect(edge.token(), 'legacy');
    const r = await callTool(client, 'list_conversations', {});
    await client.close();
    check.mockRestore();
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/could not be verified/);
    expect(textOf(r)).not.toContain('store unavailable');
  });

  it('asks for the conversations scope when the token lacks it (403 insufficient_scope)', async () => {
    const client = await connect(edge.token({ scope: 'mcp:tools conversations:read' }), 'legacy');
    const before = edge.agent.tokensSeen.length;
    const call = callTool(client, 'chat', { message: 'hi' });
    await expect(call).rejects.toMatchObject({
      requiredScope: expect.stringContaining('conversations:write'),
    });
    await client.close();
    expect(edge.agent.tokensSeen.length).toBe(before);
  });

  it('hides agent failures behind a clear message', async () => {
    const client = await connect(edge.token(), 'legacy');
    edge.agent.failWith = 500;
    try {
      const r = await callTool(client, 'list_conversations', {});
      expect(r.isError).toBe(true);
      expect(textOf(r)).toBe('the agent is unavailable right now; try again later');
    } finally {
      edge.agent.failWith = undefined;
      await client.close();
    }
  });

  it('counts tool calls by tool and outcome', async () => {
    const metrics = await edge.metrics.registry.metrics();
    expect(metrics).toMatch(/mcp_tool_calls_total\{tool="chat",status="success"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/mcp_tool_calls_total\{tool="chat",status="denied"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/mcp_tool_calls_total\{tool="list_conversations",status="error"[^}]*\} [1-9]/);
    // Decisions are counted by the authorizer on the same registry.
    expect(metrics).toMatch(/authz_checks_total\{decision="deny"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/authz_checks_total\{decision="allow"[^}]*\} [1-9]/);
  });
});

describe('streamed answers over HTTP', () => {
  it('streams progress before the run answers, and a client that hangs up cancels the agent run', async () => {
    edge.agent.holdRuns = true;
    const hangUp = new AbortController();
    try {
      const res = await fetch(edge.mcpUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2025-06-18',
          authorization: `Bearer ${edge.token()}`,
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name: 'chat', arguments: { message: 'wait for me' }, _meta: { progressToken: 'p1' } },
        }),
        signal: hangUp.signal,
      });
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      // The run is held at the agent, so whatever arrives now was streamed ahead of the answer.
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let seen = '';
      while (!seen.includes('the assistant is working on the answer')) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += decoder.decode(value, { stream: true });
      }
      expect(seen).toContain('notifications/progress');
      expect(seen).not.toContain('"result"');
      const abandoned = edge.agent.runsAbandoned;
      hangUp.abort();
      const deadline = Date.now() + 5000;
      while (edge.agent.runsAbandoned === abandoned && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(edge.agent.runsAbandoned).toBe(abandoned + 1);
    } finally {
      edge.agent.holdRuns = false;
    }
  });
});
