import { randomUUID } from 'node:crypto';
import { callTool, challengeParams, connectMcp, textOf } from '@mcp-langgraph/testing';
import {
  Client,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type StoredOAuthTokens,
  StreamableHTTPClientTransport,
} from '@modelcontextprotocol/client';
import { claimsOf } from '../testing/fakes.js';
import {
  type EdgeUnderTest,
  MACHINE_CLIENT,
  MCP_RESOURCE,
  PUBLIC_URL,
  startEdge,
} from '../testing/harness.js';

let edge: EdgeUnderTest;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(async () => {
  await edge.close();
});

const ALL = ['chat', 'delete_conversation', 'get_conversation', 'list_conversations', 'share_conversation'];

describe.each([
  ['2025 revisions', 'legacy'],
  ['2026-07-28', 'auto'],
] as const)('tools/list over %s', (_era, mode) => {
  it('shows a user every tool, with destructive and read-only hints', async () => {
    const client = await connectMcp(edge.mcpUrl, edge.token({ sub: randomUUID() }), { mode });
    const { tools } = await client.listTools();
    await client.close();
    expect(tools.map((t) => t.name).sort()).toEqual(ALL);
    const hints = Object.fromEntries(tools.map((t) => [t.name, t.annotations]));
    expect(hints.delete_conversation).toMatchObject({ destructiveHint: true, readOnlyHint: false });
    expect(hints.get_conversation?.readOnlyHint).toBe(true);
    expect(hints.list_conversations?.readOnlyHint).toBe(true);
    for (const name of ['chat', 'share_conversation']) expect(hints[name]?.destructiveHint).toBe(false);
  });

  it('shows a caller only the tools it may execute', async () => {
    const id = `lister-${mode}`;
    await edge.authorizer.write([
      { user: `client:${id}`, relation: 'executor', object: 'tool:list_conversations' },
    ]);
    const client = await connectMcp(edge.mcpUrl, edge.token({ sub: id, sub_type: 'client' }), { mode });
    const { tools } = await client.listTools();
    // The gate still answers a call to a hidden tool with a clear refusal.
    const refused = await callTool(client, 'chat', { message: 'hi' });
    await client.close();
    expect(tools.map((t) => t.name)).toEqual(['list_conversations']);
    expect(textOf(refused)).toBe('you are not allowed to use the tool "chat"');
  });
});

it('keeps one listing across requests and still answers each caller their own tools', async () => {
  // The edge lists the SDK's definitions once per revision; every answer is filtered afresh.
  const id = 'reader-only';
  await edge.authorizer.write([
    { user: `client:${id}`, relation: 'executor', object: 'tool:get_conversation' },
  ]);
  const list = async (token: string, mode: 'legacy' | 'auto') => {
    const client = await connectMcp(edge.mcpUrl, token, { mode });
    const { tools } = await client.listTools();
    await client.close();
    return tools.map((t) => t.name).sort();
  };
  const reader = edge.token({ sub: id, sub_type: 'client' });
  for (const mode of ['auto', 'legacy', 'auto'] as const) {
    expect(await list(reader, mode)).toEqual(['get_conversation']);
    expect(await list(edge.token({ sub: randomUUID() }), mode)).toEqual(ALL);
  }
});

it('marks the filtered 2026-07-28 list as private to the caller', async () => {
  const res = await fetch(edge.mcpUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${edge.token()}`,
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/list',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/list',
      params: {
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    }),
  });
  const text = await res.text();
  const json = JSON.parse(text.startsWith('{') ? text : (/^data: (.+)$/m.exec(text)?.[1] ?? '{}'));
  expect(json.result.cacheScope).toBe('private');
  expect(json.result.tools).toHaveLength(ALL.length);
});

describe('step-up authorization', () => {
  const narrow = 'mcp:tools conversations:read';

  it('answers a call that needs a wider scope with 403 insufficient_scope naming it', async () => {
    const res = await fetch(edge.mcpUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${edge.token({ scope: narrow })}`,
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'delete_conversation', arguments: { thread_id: randomUUID(), confirm: true } },
      }),
    });
    expect(res.status).toBe(403);
    const challenge = challengeParams(res.headers.get('www-authenticate') ?? '');
    expect(challenge.error).toBe('insufficient_scope');
    expect(challenge.scope).toBe('mcp:tools conversations:read conversations:write');
    expect(challenge.resource_metadata).toBe(`${PUBLIC_URL}/.well-known/oauth-protected-resource/mcp`);
  });

  it('lets a read-only token read without a challenge', async () => {
    const client = await connectMcp(edge.mcpUrl, edge.token({ scope: narrow }), { mode: 'legacy' });
    const r = await callTool(client, 'list_conversations', {});
    await client.close();
    expect(r.isError).toBeFalsy();
  });

  it('challenges no one who may not execute the tool: the gate refuses instead', async () => {
    const token = edge.token({ sub: 'no-grants', sub_type: 'client', scope: narrow });
    const client = await connectMcp(edge.mcpUrl, token, { mode: 'legacy' });
    const r = await callTool(client, 'delete_conversation', { thread_id: randomUUID(), confirm: true });
    await client.close();
    expect(textOf(r)).toBe('you are not allowed to use the tool "delete_conversation"');
  });

  /**
   * A machine client of the MCP client SDK: client credentials, so re-authorizing needs no
   * browser. It starts with a read-only token.
   */
  class MachineClientProvider implements OAuthClientProvider {
    scopesRequested: (string | undefined)[] = [];
    constructor(private stored: StoredOAuthTokens) {}
    get redirectUrl(): undefined {
      return undefined;
    }
    get clientMetadata(): OAuthClientMetadata {
      return { client_name: 'step-up test', redirect_uris: [], grant_types: ['client_credentials'] };
    }
    clientInformation() {
      return { client_id: MACHINE_CLIENT.id, client_secret: MACHINE_CLIENT.secret };
    }
    tokens() {
      return this.stored;
    }
    saveTokens(tokens: StoredOAuthTokens) {
      this.stored = tokens;
    }
    prepareTokenRequest(scope?: string) {
      this.scopesRequested.push(scope);
      return new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) });
    }
    redirectToAuthorization(): never {
      throw new Error('a machine client cannot open a browser');
    }
    saveCodeVerifier() {}
    codeVerifier(): never {
      throw new Error('no authorization code flow here');
    }
  }

  it("re-authorizes through the SDK's step-up flow with the wider scope and retries the call", async () => {
    await edge.authorizer.write(
      ['chat', 'delete_conversation', 'get_conversation'].map((t) => ({
        user: `client:${MACHINE_CLIENT.id}`,
        relation: 'executor',
        object: `tool:${t}`,
      })),
    );
    const claims = { sub: MACHINE_CLIENT.id, sub_type: 'client', client_id: MACHINE_CLIENT.id };
    const provider = new MachineClientProvider({
      access_token: edge.token({ ...claims, scope: 'mcp:tools conversations:write' }),
      token_type: 'Bearer',
      scope: 'mcp:tools conversations:write',
    });
    // The test issuer publishes keys only: its authorization server metadata (pointing at the
    // fake token endpoint, which grants client credentials) is answered for the client here; and
    // the edge's public URL, which the challenge names, is where the test edge listens.
    const asMetadata = `${edge.issuer.issuer}/.well-known/oauth-authorization-server`;
    const clientFetch: typeof fetch = async (input, init) => {
      let url = String(input instanceof Request ? input.url : input);
      if (url.startsWith(PUBLIC_URL)) url = edge.url + url.slice(PUBLIC_URL.length);
      if (url === asMetadata)
        return Response.json({
          issuer: edge.issuer.issuer,
          authorization_endpoint: `${edge.issuer.issuer}/authorize`,
          token_endpoint: edge.tokenEndpoint.url,
          response_types_supported: ['code'],
          grant_types_supported: ['client_credentials'],
          token_endpoint_auth_methods_supported: ['client_secret_basic'],
        });
      return fetch(url, init);
    };
    const client = new Client(
      { name: 'step-up', version: '1.0.0' },
      { versionNegotiation: { mode: 'legacy' } },
    );
    await client.connect(
      new StreamableHTTPClientTransport(new URL(MCP_RESOURCE), {
        authProvider: provider,
        fetch: clientFetch,
      }),
    );
    const first = await callTool(client, 'chat', { message: 'to be deleted' });
    const threadId = (first.structuredContent as { thread_id: string }).thread_id;
    expect(provider.scopesRequested).toEqual([]);

    // Reading needs conversations:read, which the token lacks: 403, new token, the call retried.
    const read = await callTool(client, 'get_conversation', { thread_id: threadId });
    expect(read.isError).toBeFalsy();
    expect(provider.scopesRequested).toHaveLength(1);
    expect(provider.scopesRequested[0]?.split(' ').sort()).toEqual(
      ['conversations:read', 'conversations:write', 'mcp:tools'].sort(),
    );
    expect(String(claimsOf(provider.tokens()?.access_token ?? '').scope).split(' ')).toContain(
      'conversations:read',
    );
    const deleted = await callTool(client, 'delete_conversation', { thread_id: threadId, confirm: true });
    await client.close();
    expect(deleted.structuredContent).toEqual({ thread_id: threadId, deleted: true });
    expect(provider.scopesRequested).toHaveLength(1);
  });
});
