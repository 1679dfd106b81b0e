import { randomUUID } from 'node:crypto';
import { DEFAULT_SCOPES, formatScope, SCOPE } from '@mcp-langgraph/protocol';
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

let edge: EdgeUnderTest;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(async () => {
  await edge.close();
});

/** The stdio server on one end of an in-process pipe, the MCP client SDK on the other. */
async function connectStdio(source: TokenSource) {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const handle = serveEdgeStdio(
    edge.toolDeps(tokenSourceIdentity(source, edge.verifier, [SCOPE.tools])),
    serverSide,
  );
  const client = new Client({ name: 'stdio-test', version: '1.0.0' });
  await client.connect(clientSide as unknown as Parameters<Client['connect']>[0]);
  return {
    client,
    close: async () => {
      await client.close();
      await handle.close();
    },
  };
}

describe('stdio entry point', () => {
  it('serves the tools as the user whose access token it was given', async () => {
    const user = randomUUID();
    const { client, close } = await connectStdio(staticTokenSource(edge.token({ sub: user })));
    try {
      const { tools } = await client.listTools();
      expect(tools).toHaveLength(3);
      const r = await callTool(client, 'chat', { message: 'over stdio' });
      expect(r.isError).toBeFalsy();
      expect(textOf(r)).toBe('You said: over stdio');
    } finally {
      await close();
    }
  });

  it('refuses tool calls once the configured token has expired, saying what to do', async () => {
    const expired = edge.token({ exp: Math.floor(Date.now() / 1000) - 600, iat: 0, nbf: 0 });
    const { client, close } = await connectStdio(staticTokenSource(expired));
    try {
      const r = await callTool(client, 'list_conversations', {});
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/expired.*supply a new one/);
    } finally {
      await close();
    }
  });

  it('refuses a token issued for another resource', async () => {
    const { client, close } = await connectStdio(
      staticTokenSource(edge.token({ aud: 'http://localhost:4002' })),
    );
    try {
      const r = await callTool(client, 'list_conversations', {});
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/not usable/);
    } finally {
      await close();
    }
  });

  it('acts as a machine client with client credentials, within its grants', async () => {
    const source = clientCredentialsTokenSource({
      tokenEndpoint: edge.tokenEndpoint.url,
      clientId: MACHINE_CLIENT.id,
      clientSecret: MACHINE_CLIENT.secret,
      resource: MCP_RESOURCE,
      scope: formatScope(DEFAULT_SCOPES),
    });
    const { client, close } = await connectStdio(source);
    try {
      // Clients are not covered by the user:* grants until given executor explicitly.
      const denied = await callTool(client, 'list_conversations', {});
      expect(textOf(denied)).toBe('you are not allowed to use the tool "list_conversations"');
      await edge.authorizer.write([
        { user: `client:${MACHINE_CLIENT.id}`, relation: 'executor', object: 'tool:list_conversations' },
      ]);
      const allowed = await callTool(client, 'list_conversations', {});
      expect(allowed.isError).toBeFalsy();
    } finally {
      await close();
    }
  });

  it('reports refused client credentials clearly', async () => {
    const source = clientCredentialsTokenSource({
      tokenEndpoint: edge.tokenEndpoint.url,
      clientId: MACHINE_CLIENT.id,
      clientSecret: 'wrong-secret-0123456789',
      resource: MCP_RESOURCE,
      scope: SCOPE.tools,
    });
    const { client, close } = await connectStdio(source);
    try {
      const r = await callTool(client, 'list_conversations', {});
      expect(r.isError).toBe(true);
      expect(textOf(r)).toBe('the configured client credentials were refused (invalid_client)');
    } finally {
      await close();
    }
  });
});
