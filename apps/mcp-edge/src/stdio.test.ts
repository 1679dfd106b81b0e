import { randomUUID } from 'node:crypto';
import { DEFAULT_SCOPES, formatScope, SCOPE, subjectOf, toolObject } from '@mcp-langgraph/protocol';
import { callTool, textOf } from '@mcp-langgraph/testing';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import {
  clientCredentialsTokenSource,
  staticTokenSource,
  type TokenSource,
  tokenSourceIdentity,
} from './identity.js';
import { serveEdgeStdio } from './stdio-server.js';
import { type EdgeUnderTest, MACHINE_CLIENT, MCP_RESOURCE, startEdge } from './testing/harness.js';
import { TOOLS } from './tools/index.js';

let edge: EdgeUnderTest;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(async () => {
  await edge.close();
});

/**
 * Runs `use` against the stdio server on one end of an in-process pipe, the MCP client SDK on
 * the other, and closes both afterwards.
 */
async function overStdio(source: TokenSource, use: (client: Client) => Promise<void>): Promise<void> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const handle = serveEdgeStdio(
    edge.toolDeps(tokenSourceIdentity(source, edge.verifier, [SCOPE.tools])),
    serverSide,
  );
  const client = new Client({ name: 'stdio-test', version: '1.0.0' });
  await client.connect(clientSide as unknown as Parameters<Client['connect']>[0]);
  try {
    await use(client);
  } finally {
    await client.close();
    await handle.close();
  }
}

/** The configured machine client of the stdio entry point, with this secret and scope. */
const machineClient = (secret: string, scope: string) =>
  clientCredentialsTokenSource({
    tokenEndpoint: edge.tokenEndpoint.url,
    clientId: MACHINE_CLIENT.id,
    clientSecret: secret,
    resource: MCP_RESOURCE,
    scope,
  });

const listConversations = (client: Client) => callTool(client, 'list_conversations', {});

describe('stdio entry point', () => {
  it('serves the tools as the user whose access token it was given', async () => {
    await overStdio(staticTokenSource(edge.token({ sub: randomUUID() })), async (client) => {
      const { tools } = await client.listTools();
      expect(tools).toHaveLength(TOOLS.length);
      const r = await callTool(client, 'chat', { message: 'over stdio' });
      expect(r.isError).toBeFalsy();
      expect(textOf(r)).toBe('You said: over stdio');
    });
  });

  it('refuses tool calls once the configured token has expired, saying what to do', async () => {
    const expired = edge.token({ exp: Math.floor(Date.now() / 1000) - 600, iat: 0, nbf: 0 });
    await overStdio(staticTokenSource(expired), async (client) => {
      const r = await listConversations(client);
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/expired.*supply a new one/);
    });
  });

  it('refuses a token issued for another resource', async () => {
    const source = staticTokenSource(edge.token({ aud: 'http://localhost:4002' }));
    await overStdio(source, async (client) => {
      const r = await listConversations(client);
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/not usable/);
    });
  });

  it('acts as a machine client with client credentials, within its grants', async () => {
    await overStdio(machineClient(MACHINE_CLIENT.secret, formatScope(DEFAULT_SCOPES)), async (client) => {
      // Clients are not covered by the user:* grants until given executor explicitly.
      const denied = await listConversations(client);
      expect(textOf(denied)).toBe('you are not allowed to use the tool "list_conversations"');
      await edge.authorizer.write([
        {
          user: subjectOf('client', MACHINE_CLIENT.id),
          relation: 'executor',
          object: toolObject('list_conversations'),
        },
      ]);
      const allowed = await listConversations(client);
      expect(allowed.isError).toBeFalsy();
    });
  });

  it('reports refused client credentials clearly', async () => {
    await overStdio(machineClient('wrong-secret-0123456789', SCOPE.tools), async (client) => {
      const r = await listConversations(client);
      expect(r.isError).toBe(true);
      expect(textOf(r)).toBe('the configured client credentials were refused (invalid_client)');
    });
  });
});
