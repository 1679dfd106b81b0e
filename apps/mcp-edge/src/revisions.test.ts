import { randomUUID } from 'node:crypto';
import type { Client } from '@modelcontextprotocol/client';
import { type EdgeUnderTest, startEdge } from './testing/harness.js';
import {
  connectAt,
  envelope,
  LEGACY_REVISIONS,
  MODERN,
  postModern,
  postRaw,
  REVISIONS,
} from './testing/revisions.js';

let edge: EdgeUnderTest;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(async () => {
  await edge.close();
});

describe.each(REVISIONS)('revision %s', (revision) => {
  let client: Client;
  beforeAll(async () => {
    client = await connectAt(edge.mcpUrl, edge.token({ sub: randomUUID() }), revision);
  });
  afterAll(async () => {
    await client.close();
  });

  it('is negotiated and serves tools, resources, prompts, completions and logging', async () => {
    expect(client.getNegotiatedProtocolVersion()).toBe(revision);
    const capabilities = client.getServerCapabilities();
    expect(capabilities).toMatchObject({
      tools: {},
      resources: {},
      prompts: {},
      completions: {},
      logging: {},
    });
    expect(client.getInstructions()).toContain('conversation://{thread_id}');
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('chat');
  });
});

describe('server/discover', () => {
  it('lists every served revision, the 2025 ones included', async () => {
    const client = await connectAt(edge.mcpUrl, edge.token(), MODERN);
    const discovered = client.getDiscoverResult();
    await client.close();
    expect(discovered?.supportedVersions).toEqual(['2026-07-28', '2025-11-25', '2025-06-18', '2025-03-26']);
  });

  it('answers an initialize offering an older revision with the newest 2025 one', async () => {
    const reply = await postRaw(edge.mcpUrl, edge.token(), {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'old', version: '1' } },
    });
    expect(reply.body.result?.protocolVersion).toBe('2025-11-25');
  });
});

describe('caching hints (2026-07-28)', () => {
  it.each([
    ['tools/list', 'private'],
    ['resources/list', 'private'],
    ['resources/templates/list', 'public'],
    ['prompts/list', 'public'],
    ['server/discover', 'public'],
  ])('%s carries ttlMs and cacheScope %s', async (method, scope) => {
    const { body } = await postModern(edge.mcpUrl, edge.token(), method);
    expect(body.result?.cacheScope).toBe(scope);
    expect(typeof body.result?.ttlMs).toBe('number');
  });

  it('lets a client keep the caller-dependent tool list for a minute, privately', async () => {
    const { body } = await postModern(edge.mcpUrl, edge.token(), 'tools/list');
    expect(body.result).toMatchObject({ ttlMs: 60_000, cacheScope: 'private' });
  });

  it.each(LEGACY_REVISIONS)('are not sent on %s', async (revision) => {
    const { body } = await postRaw(
      edge.mcpUrl,
      edge.token(),
      { jsonrpc: '2.0', id: 1, method: 'prompts/list' },
      { 'mcp-protocol-version': revision },
    );
    expect(body.result?.prompts).toBeDefined();
    expect(body.result).not.toHaveProperty('ttlMs');
    expect(body.result).not.toHaveProperty('cacheScope');
  });
});

describe('protocol headers', () => {
  const listTools = (extra: Record<string, unknown> = {}) => ({
    jsonrpc: '2.0',
    id: 7,
    method: 'tools/list',
    params: { _meta: envelope(), ...extra },
  });

  it.each([
    ['a revision the edge does not serve', '2024-11-05'],
    ['a revision that does not exist', '2025-02-30'],
  ])('refuses a 2025-era request naming %s with 400', async (_name, version) => {
    const reply = await postRaw(
      edge.mcpUrl,
      edge.token(),
      { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      { 'mcp-protocol-version': version },
    );
    expect(reply.status).toBe(400);
    expect(reply.body.error?.message).toContain(`Unsupported protocol version: ${version}`);
    expect(reply.body.error?.message).toContain('2025-06-18');
  });

  it('refuses a 2026-07-28 request without MCP-Protocol-Version', async () => {
    const reply = await postRaw(edge.mcpUrl, edge.token(), listTools(), { 'mcp-method': 'tools/list' });
    expect(reply.status).toBe(400);
    expect(reply.body.error?.message).toContain('MCP-Protocol-Version header is absent');
  });

  it('refuses a 2026-07-28 request without Mcp-Method', async () => {
    const reply = await postRaw(edge.mcpUrl, edge.token(), listTools(), { 'mcp-protocol-version': MODERN });
    expect(reply.status).toBe(400);
    expect(reply.body.error?.message).toContain('Mcp-Method header is absent');
  });

  it('refuses an Mcp-Method that disagrees with the body', async () => {
    const reply = await postModern(
      edge.mcpUrl,
      edge.token(),
      'tools/list',
      {},
      { 'mcp-method': 'prompts/list' },
    );
    expect(reply.status).toBe(400);
    expect(reply.body.error?.code).toBe(-32020);
  });

  it('refuses a header revision that disagrees with the envelope', async () => {
    const reply = await postModern(
      edge.mcpUrl,
      edge.token(),
      'tools/list',
      {},
      {
        'mcp-protocol-version': '2025-11-25',
      },
    );
    expect(reply.status).toBe(400);
    expect(reply.body.error?.code).toBe(-32020);
  });

  it.each([
    ['prompts/get', { name: 'ask_the_docs', arguments: { topic: 'scopes' } }],
    ['resources/read', { uri: `conversation://${randomUUID()}` }],
    ['tools/call', { name: 'list_conversations', arguments: {} }],
  ])('refuses %s without Mcp-Name, or with one naming something else', async (method, params) => {
    const bare = await postRaw(
      edge.mcpUrl,
      edge.token(),
      { jsonrpc: '2.0', id: 1, method, params: { ...params, _meta: envelope() } },
      { 'mcp-protocol-version': MODERN, 'mcp-method': method },
    );
    expect(bare.status).toBe(400);
    expect(bare.body.error?.message).toContain('Mcp-Name header is absent');
    const other = await postModern(edge.mcpUrl, edge.token(), method, params, {
      'mcp-name': 'something-else',
    });
    expect(other.status).toBe(400);
    expect(other.body.error?.code).toBe(-32020);
  });

  it('answers an unknown 2026-era revision with the versions it serves', async () => {
    const reply = await postModern(
      edge.mcpUrl,
      edge.token(),
      'tools/list',
      { _meta: envelope('2027-01-01') },
      { 'mcp-protocol-version': '2027-01-01' },
    );
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({ code: -32022, data: { requested: '2027-01-01' } });
    expect((reply.body.error?.data as { supported?: string[] } | undefined)?.supported).toContain(MODERN);
  });
});
