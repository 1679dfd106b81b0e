import { randomUUID } from 'node:crypto';
import { SCOPE } from '@mcp-langgraph/protocol';
import { callTool, textOf } from '@mcp-langgraph/testing';
import { Client, type ElicitResult, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { staticTokenSource, tokenSourceIdentity } from '../identity.js';
import { serveEdgeStdio } from '../stdio-server.js';
import { type EdgeUnderTest, startEdge } from '../testing/harness.js';

let edge: EdgeUnderTest;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(async () => {
  await edge.close();
});

type Mode = 'legacy' | 'auto';
type Answer = (message: string) => ElicitResult;

/** A real MCP client SDK connection; with `answer` it declares form elicitation and answers with it. */
async function connect(token: string, mode: Mode, answer?: Answer, asked: string[] = []): Promise<Client> {
  const client = new Client(
    { name: 'conversation-tools-test', version: '1.0.0' },
    { versionNegotiation: { mode }, capabilities: answer ? { elicitation: {} } : {} },
  );
  if (answer)
    client.setRequestHandler('elicitation/create', async (request) => {
      asked.push(request.params.message);
      return answer(request.params.message);
    });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(edge.mcpUrl), { authProvider: { token: async () => token } }),
  );
  return client;
}

async function newThread(client: Client): Promise<string> {
  const r = await callTool(client, 'chat', { message: 'remember this' });
  return (r.structuredContent as { thread_id: string }).thread_id;
}

/** Whether the owner can still read the conversation. */
async function exists(client: Client, threadId: string): Promise<boolean> {
  return !(await callTool(client, 'get_conversation', { thread_id: threadId })).isError;
}

const yes: Answer = () => ({ action: 'accept', content: { confirm: true } });

describe.each([
  ['2025 revisions', 'legacy'],
  ['2026-07-28', 'auto'],
] as const)('share_conversation and delete_conversation over %s', (_era, mode) => {
  it('shares a conversation: a viewer reads it, and the tool says what it did', async () => {
    const owner = await connect(edge.token({ sub: randomUUID() }), mode);
    const friend = randomUUID();
    const threadId = await newThread(owner);
    const share = await callTool(owner, 'share_conversation', {
      thread_id: threadId,
      user: friend,
      role: 'viewer',
    });
    expect(share.isError).toBeFalsy();
    expect(share.structuredContent).toEqual({ thread_id: threadId, user: `user:${friend}`, role: 'viewer' });
    const viewer = await connect(edge.token({ sub: friend }), mode);
    expect(await exists(viewer, threadId)).toBe(true);
    await Promise.all([owner.close(), viewer.close()]);
  });

  it('refuses a non-owner alike for a thread that exists and one that does not', async () => {
    const owner = await connect(edge.token({ sub: randomUUID() }), mode);
    const threadId = await newThread(owner);
    const other = await connect(edge.token({ sub: randomUUID() }), mode);
    const messages = [];
    for (const id of [threadId, randomUUID()]) {
      const share = await callTool(other, 'share_conversation', { thread_id: id, user: 'x', role: 'editor' });
      const del = await callTool(other, 'delete_conversation', { thread_id: id, confirm: true });
      expect(share.isError).toBe(true);
      expect(del.isError).toBe(true);
      messages.push(textOf(share), textOf(del));
    }
    expect(new Set(messages)).toEqual(new Set(['conversation not found or not yours']));
    expect(await exists(owner, threadId)).toBe(true);
    await Promise.all([owner.close(), other.close()]);
  });

  it('refuses a role other than viewer or editor, naming the field', async () => {
    const owner = await connect(edge.token({ sub: randomUUID() }), mode);
    const threadId = await newThread(owner);
    let text = '';
    try {
      const r = await callTool(owner, 'share_conversation', {
        thread_id: threadId,
        user: 'x',
        role: 'owner',
      });
      expect(r.isError).toBe(true);
      text = textOf(r);
    } catch (err) {
      text = (err as Error).message;
    }
    expect(text).toContain('role');
    await owner.close();
  });

  it('deletes with confirm: true from a client that cannot ask', async () => {
    const owner = await connect(edge.token({ sub: randomUUID() }), mode);
    const threadId = await newThread(owner);
    const r = await callTool(owner, 'delete_conversation', { thread_id: threadId, confirm: true });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toEqual({ thread_id: threadId, deleted: true });
    expect(await exists(owner, threadId)).toBe(false);
    await owner.close();
  });

  it('without confirm, tells a client that cannot ask to pass confirm: true, and keeps the conversation', async () => {
    const owner = await connect(edge.token({ sub: randomUUID() }), mode);
    const threadId = await newThread(owner);
    const r = await callTool(owner, 'delete_conversation', { thread_id: threadId });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain('confirm: true');
    expect(await exists(owner, threadId)).toBe(true);
    await owner.close();
  });
});

describe('confirming a deletion on 2026-07-28 (input-required result answered by the client)', () => {
  it('asks the user through the client, and deletes once they accept', async () => {
    const asked: string[] = [];
    const owner = await connect(edge.token({ sub: randomUUID() }), 'auto', yes, asked);
    expect(owner.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    const threadId = await newThread(owner);
    const r = await callTool(owner, 'delete_conversation', { thread_id: threadId });
    expect(asked).toEqual([`Delete the conversation ${threadId}? This cannot be undone.`]);
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toEqual({ thread_id: threadId, deleted: true });
    expect(await exists(owner, threadId)).toBe(false);
    await owner.close();
  });

  it.each([
    ['declines', { action: 'decline' }],
    ['cancels', { action: 'cancel' }],
    ['answers no', { action: 'accept', content: { confirm: false } }],
  ] as const)('keeps the conversation when the user %s', async (_name, answer) => {
    const owner = await connect(edge.token({ sub: randomUUID() }), 'auto', () => answer);
    const threadId = await newThread(owner);
    const r = await callTool(owner, 'delete_conversation', { thread_id: threadId });
    expect(r.isError).toBeFalsy();
    expect(textOf(r)).toBe('deletion cancelled; the conversation was kept');
    expect(r.structuredContent).toEqual({ thread_id: threadId, deleted: false });
    expect(await exists(owner, threadId)).toBe(true);
    await owner.close();
  });

  it('does not ask when confirm: true is passed', async () => {
    const asked: string[] = [];
    const owner = await connect(edge.token({ sub: randomUUID() }), 'auto', yes, asked);
    const threadId = await newThread(owner);
    const r = await callTool(owner, 'delete_conversation', { thread_id: threadId, confirm: true });
    expect(r.structuredContent).toEqual({ thread_id: threadId, deleted: true });
    expect(asked).toEqual([]);
    await owner.close();
  });
});

describe('confirming a deletion on a 2025 connection', () => {
  /** A 2025 connection that keeps its capabilities: the stdio entry point, one server per connection. */
  async function overStdio(token: string, answer: Answer | undefined, asked: string[]) {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const handle = serveEdgeStdio(
      edge.toolDeps(tokenSourceIdentity(staticTokenSource(token), edge.verifier, [SCOPE.tools])),
      serverSide,
    );
    const client = new Client(
      { name: 'stdio-confirm-test', version: '1.0.0' },
      { versionNegotiation: { mode: 'legacy' }, capabilities: answer ? { elicitation: {} } : {} },
    );
    if (answer)
      client.setRequestHandler('elicitation/create', async (request) => {
        asked.push(`${request.params.mode ?? 'form'}: ${request.params.message}`);
        return answer(request.params.message);
      });
    await client.connect(clientSide as unknown as Parameters<Client['connect']>[0]);
    const close = async () => {
      await client.close();
      await handle.close();
    };
    return { client, close };
  }

  it('sends elicitation/create to a client that declared elicitation, and deletes on yes', async () => {
    const asked: string[] = [];
    const { client, close } = await overStdio(edge.token({ sub: randomUUID() }), yes, asked);
    expect(client.getNegotiatedProtocolVersion()).toMatch(/^2025-/);
    const threadId = await newThread(client);
    const r = await callTool(client, 'delete_conversation', { thread_id: threadId });
    expect(asked).toEqual([`form: Delete the conversation ${threadId}? This cannot be undone.`]);
    expect(r.structuredContent).toEqual({ thread_id: threadId, deleted: true });
    expect(await exists(client, threadId)).toBe(false);
    await close();
  });

  it('keeps the conversation when the user declines', async () => {
    const { client, close } = await overStdio(
      edge.token({ sub: randomUUID() }),
      () => ({ action: 'decline' }),
      [],
    );
    const threadId = await newThread(client);
    const r = await callTool(client, 'delete_conversation', { thread_id: threadId });
    expect(textOf(r)).toBe('deletion cancelled; the conversation was kept');
    expect(await exists(client, threadId)).toBe(true);
    await close();
  });

  it('asks a client without elicitation for confirm: true', async () => {
    const { client, close } = await overStdio(edge.token({ sub: randomUUID() }), undefined, []);
    const threadId = await newThread(client);
    const r = await callTool(client, 'delete_conversation', { thread_id: threadId });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain('confirm: true');
    expect(await exists(client, threadId)).toBe(true);
    await close();
  });

  it('over stateless HTTP, where no request carries capabilities, asks for confirm: true even so', async () => {
    const asked: string[] = [];
    const owner = await connect(edge.token({ sub: randomUUID() }), 'legacy', yes, asked);
    const threadId = await newThread(owner);
    const r = await callTool(owner, 'delete_conversation', { thread_id: threadId });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain('confirm: true');
    expect(asked).toEqual([]);
    expect(await exists(owner, threadId)).toBe(true);
    await owner.close();
  });
});
