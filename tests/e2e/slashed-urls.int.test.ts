import { callTool, textOf } from '@mcp-langgraph/testing';
import type { Client } from '@modelcontextprotocol/client';
import { type Discovery, discover, register } from './oauth-client.js';
import { REDIRECT_URI, useStack } from './stack.js';

/**
 * A platform team writes its public URLs with a trailing slash (`AUTH_ISSUER=https://auth.example/`,
 * `EDGE_PUBLIC_URL=…/`, `AGENT_PUBLIC_URL=…/`, `AUTH_INTERNAL_URL=…/`, `AGENT_URL=…/`). Every
 * service normalises them the same way, so tokens issued by one verify at the others and the
 * whole flow works as it does without the slash.
 */

const stack = useStack({ trailingSlash: true });
let discovery: Discovery;
let alice: Client;

describe('services configured with slashed public URLs', () => {
  it('advertise unslashed identifiers in their metadata', async () => {
    const { urls } = stack.services();
    discovery = await stack.explained(() => discover(urls.mcp));
    expect(discovery.issuer).toBe(urls.auth);
    expect(discovery.resource).toBe(urls.mcp);
    expect(discovery.resourceMetadataUrl).toBe(`${urls.edge}/.well-known/oauth-protected-resource/mcp`);
    expect(discovery.tokenEndpoint).toBe(`${urls.auth}/token`);
  });

  it('sign a user in and accept her token at the edge', async () => {
    const clientId = await stack.explained(() => register(discovery, REDIRECT_URI));
    const token = await stack.signIn(discovery, clientId, 'alice', 'secret-a');
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
      iss: string;
      aud: string;
    };
    expect(claims.iss).toBe(stack.services().urls.auth);
    expect(claims.aud).toBe(stack.services().urls.mcp);
    alice = await stack.connect(token);
    const { tools } = await alice.listTools();
    expect(tools.map((t) => t.name)).toContain('chat');
  });

  it('exchange the token for the agent and run a conversation end to end', async () => {
    const first = await stack.explained(() => callTool(alice, 'chat', { message: 'What is 17 * 23?' }));
    expect(first.isError).toBeFalsy();
    expect(textOf(first)).toContain('391');
    const threadId = (first.structuredContent as { thread_id: string }).thread_id;
    const next = await callTool(alice, 'chat', { message: 'And times 2?', thread_id: threadId });
    expect(textOf(next)).toContain('782');
    const list = await callTool(alice, 'list_conversations', {});
    expect(JSON.stringify(list.structuredContent)).toContain(threadId);
    const read = await callTool(alice, 'get_conversation', { thread_id: threadId });
    expect(read.isError).toBeFalsy();
    expect(textOf(read)).toContain('What is 17 * 23?');
  });
});
