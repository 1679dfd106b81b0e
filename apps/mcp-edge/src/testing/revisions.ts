import { connectMcp } from '@mcp-langgraph/testing';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

/** Every revision the edge serves, as tests name them. */
export const REVISIONS = ['2025-03-26', '2025-06-18', '2025-11-25', '2026-07-28'] as const;
export type Revision = (typeof REVISIONS)[number];
export const MODERN: Revision = '2026-07-28';
export const LEGACY_REVISIONS = REVISIONS.filter((r) => r !== MODERN);

/**
 * An MCP client SDK connection at exactly `revision`: 2026-07-28 pinned through
 * `server/discover`, a 2025 revision offered alone in `initialize`.
 */
export async function connectAt(url: string, token: string, revision: Revision): Promise<Client> {
  if (revision === MODERN) return connectMcp(url, token, { mode: 'auto', name: 'revision-test' });
  const client = new Client(
    { name: 'revision-test', version: '1.0.0' },
    { versionNegotiation: { mode: 'legacy' }, supportedProtocolVersions: [revision] },
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { authProvider: { token: async () => token } }),
  );
  return client;
}

/** The per-request envelope of 2026-07-28, for requests written by hand. */
export function envelope(revision: string = MODERN, extra: Record<string, unknown> = {}) {
  return {
    'io.modelcontextprotocol/protocolVersion': revision,
    'io.modelcontextprotocol/clientInfo': { name: 'raw-test', version: '1.0.0' },
    'io.modelcontextprotocol/clientCapabilities': {},
    ...extra,
  };
}

export interface RawReply {
  status: number;
  /** The JSON-RPC response (the last `data:` of an SSE answer). */
  body: { result?: Record<string, unknown>; error?: { code: number; message: string; data?: unknown } };
}

/** One POST to `/mcp` with exactly these headers and body, its answer read whole. */
export async function postRaw(
  url: string,
  token: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<RawReply> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${token}`,
      ...headers,
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  const json = res.headers.get('content-type')?.startsWith('text/event-stream')
    ? (text
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .at(-1) ?? '{}')
    : text || '{}';
  return { status: res.status, body: JSON.parse(json) as RawReply['body'] };
}

/**
 * A 2026-07-28 request written by hand with the headers the revision requires
 * (`MCP-Protocol-Version`, `Mcp-Method`, and `Mcp-Name` when the method names something);
 * `headers` add to or replace them.
 */
export function postModern(
  url: string,
  token: string,
  method: string,
  params: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<RawReply> {
  const name = (params.name ?? params.uri) as string | undefined;
  return postRaw(
    url,
    token,
    {
      jsonrpc: '2.0',
      id: 1,
      method,
      params: { ...params, _meta: { ...envelope(), ...(params._meta ?? {}) } },
    },
    {
      'mcp-protocol-version': MODERN,
      'mcp-method': method,
      ...(name ? { 'mcp-name': name } : {}),
      ...headers,
    },
  );
}
