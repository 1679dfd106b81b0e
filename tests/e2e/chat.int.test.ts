import { callTool as call, textOf } from '@mcp-langgraph/testing';
import {
  type CallToolResult,
  Client,
  StreamableHTTPClientTransport,
  UnauthorizedError,
} from '@modelcontextprotocol/client';
import { authorize, type Discovery, discover, PageSignInProvider, register } from './oauth-client.js';
import { REDIRECT_URI, useStack } from './stack.js';

/**
 * The whole system as an MCP client meets it: the real auth, agent and edge services as separate
 * processes with their embedded defaults, an OAuth 2.1 sign-in through the login page, and MCP
 * tool calls that reach the agent's calculator, with conversations private to their owner.
 */

const stack = useStack();
const { explained } = stack;
const services = () => stack.services();
let discovery: Discovery;
let clientId: string;
const connect = (accessToken: string) => stack.connect(accessToken);
const signIn = (username: string, password: string) => stack.signIn(discovery, clientId, username, password);

/** Sign-in the way an SDK-based MCP client does it: the SDK drives OAuth, the user signs in once. */
async function connectWithSdkOAuth(username: string, password: string): Promise<Client> {
  const provider = new PageSignInProvider(REDIRECT_URI, { username, password });
  const first = new StreamableHTTPClientTransport(new URL(services().urls.mcp), { authProvider: provider });
  const unauthenticated = new Client(
    { name: 'e2e-sdk', version: '1.0.0' },
    { versionNegotiation: { mode: 'auto' } },
  );
  await expect(explained(() => unauthenticated.connect(first))).rejects.toBeInstanceOf(UnauthorizedError);
  await unauthenticated.close().catch(() => {});
  expect(provider.callback).toBeDefined();
  expect(provider.consented).toBe(true);
  await explained(() => first.finishAuth(provider.callback!.searchParams));
  expect(provider.tokens()?.access_token).toBeTruthy();
  const client = new Client({ name: 'e2e-sdk', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(services().urls.mcp), { authProvider: provider }),
  );
  return stack.track(client);
}

describe('an MCP client talking to the agent through the edge', () => {
  let alice: Client;
  let bob: Client;
  let threadId: string;

  it('discovers the authorization server from the 401 challenge', async () => {
    discovery = await explained(() => discover(services().urls.mcp));
    expect(discovery.resource).toBe(services().urls.mcp);
    expect(discovery.issuer).toBe(services().urls.auth);
    expect(discovery.resourceMetadataUrl).toBe(
      `${services().urls.edge}/.well-known/oauth-protected-resource/mcp`,
    );
    expect(discovery.codeChallengeMethods).toContain('S256');
    expect(discovery.codeChallengeMethods).not.toContain('plain');
  });

  it('registers a client and signs alice in with PKCE', async () => {
    clientId = await explained(() => register(discovery, REDIRECT_URI));
    expect(clientId).toBeTruthy();
    alice = await connect(await signIn('alice', 'secret-a'));
    const { tools } = await alice.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'chat',
      'delete_conversation',
      'get_conversation',
      'list_conversations',
      'share_conversation',
    ]);
  });

  it('answers arithmetic through the calculator tool, reporting its steps', async () => {
    const steps: string[] = [];
    const r = (await alice.callTool(
      { name: 'chat', arguments: { message: 'What is 17 * 23?' } },
      { onprogress: (p) => steps.push(p.message ?? '') },
    )) as CallToolResult;
    expect(r.isError).toBeFalsy();
    // The agent's run stream arrives as MCP progress notifications.
    expect(steps).toEqual(expect.arrayContaining(['using calculator', 'calculator answered']));
    expect(textOf(r)).toContain('391');
    const structured = r.structuredContent as { thread_id: string; answer: string };
    expect(structured.answer).toContain('391');
    // The answer streamed: progress notifications carried it as it grew (the text so far each time).
    const partials = steps.filter((s) => s && structured.answer.startsWith(s));
    expect(partials.length).toBeGreaterThan(1);
    expect(partials.at(-1)).toBe(structured.answer);
    threadId = structured.thread_id;
    expect(threadId).toMatch(/^[0-9a-f-]{36}$/i);
  });

  it('continues the same conversation', async () => {
    const r = await call(alice, 'chat', { message: 'And times 2?', thread_id: threadId });
    expect(r.isError).toBeFalsy();
    expect((r.structuredContent as { thread_id: string }).thread_id).toBe(threadId);
    expect(textOf(r)).toContain('782');
  });

  it('lists and reads the conversation back, calculator result included', async () => {
    const list = await call(alice, 'list_conversations', {});
    expect(list.isError).toBeFalsy();
    const ids = (list.structuredContent as { conversations: Array<{ thread_id: string }> }).conversations.map(
      (c) => c.thread_id,
    );
    expect(ids).toContain(threadId);

    const conv = await call(alice, 'get_conversation', { thread_id: threadId });
    expect(conv.isError).toBeFalsy();
    const messages = (
      conv.structuredContent as { messages: Array<{ role: string; content: string; name?: string }> }
    ).messages;
    expect(messages.length).toBeGreaterThanOrEqual(4);
    expect(messages[0]).toMatchObject({ role: 'user', content: 'What is 17 * 23?' });
    const toolResults = messages.filter((m) => m.role === 'tool');
    expect(toolResults.some((m) => m.content.includes('391'))).toBe(true);
  });

  it('signs bob in through the MCP client SDK’s own OAuth support', async () => {
    bob = await connectWithSdkOAuth('bob', 'secret-b');
    const { tools } = await bob.listTools();
    expect(tools).toHaveLength(5);
  });

  it("keeps alice's conversation from bob", async () => {
    const read = await call(bob, 'get_conversation', { thread_id: threadId });
    expect(read.isError).toBe(true);
    expect(textOf(read)).toMatch(/not found or not yours/);

    const write = await call(bob, 'chat', { message: 'What is 1 + 1?', thread_id: threadId });
    expect(write.isError).toBe(true);
    expect(textOf(write)).toMatch(/not found or not yours/);

    const list = await call(bob, 'list_conversations', {});
    expect(list.isError).toBeFalsy();
    expect(JSON.stringify(list.structuredContent)).not.toContain(threadId);

    // Alice's conversation is untouched by bob's attempt.
    const conv = await call(alice, 'get_conversation', { thread_id: threadId });
    const contents = (conv.structuredContent as { messages: Array<{ content: string }> }).messages.map(
      (m) => m.content,
    );
    expect(contents).not.toContain('What is 1 + 1?');
  });

  it('refuses a wrong password on the login page', async () => {
    await expect(
      authorize(discovery, { clientId, redirectUri: REDIRECT_URI, username: 'alice', password: 'wrong' }),
    ).rejects.toThrow(/did not redirect \(status 401\)/);
  });

  it('stops honouring a revoked access token at the edge', async () => {
    // Consent was remembered at the first sign-in, so this one goes straight back with a code.
    const outcome = await explained(() =>
      authorize(discovery, { clientId, redirectUri: REDIRECT_URI, username: 'alice', password: 'secret-a' }),
    );
    expect(outcome.consented).toBe(false);
    const token = outcome.accessToken;
    const probe = () =>
      fetch(services().urls.mcp, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
      });
    expect((await probe()).status).not.toBe(401);
    const revoked = await fetch(`${services().urls.auth}/revoke`, {
      method: 'POST',
      body: new URLSearchParams({ token, client_id: clientId }),
    });
    expect(revoked.status).toBe(200);
    // The edge polls the revocation feed every second in this test.
    let res = await probe();
    for (let i = 0; i < 40 && res.status !== 401; i++) {
      await new Promise((r) => setTimeout(r, 250));
      res = await probe();
    }
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/invalid_token/);
  });
});
