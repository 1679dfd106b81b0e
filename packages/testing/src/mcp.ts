import { type CallToolResult, Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

/**
 * An MCP client SDK connection to `url` with a bearer token: `auto` negotiates 2026-07-28,
 * `legacy` the 2025 revisions through the initialize handshake.
 */
export async function connectMcp(
  url: string | URL,
  token: string,
  options: { mode?: 'auto' | 'legacy'; name?: string } = {},
): Promise<Client> {
  const client = new Client(
    { name: options.name ?? 'test-client', version: '1.0.0' },
    { versionNegotiation: { mode: options.mode ?? 'auto' } },
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { authProvider: { token: async () => token } }),
  );
  return client;
}

/** The text parts of a tool result, joined by newlines. */
export function textOf(result: CallToolResult): string {
  return result.content
    .filter((c): c is { type: 'text'; text: string } => c.type === 'text')
    .map((c) => c.text)
    .join('\n');
}

/** Calls a tool and returns its result typed as a tool result. */
export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}
