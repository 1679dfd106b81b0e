import type { DiscoverResult, McpServer } from '@modelcontextprotocol/server';

/**
 * The MCP revisions the edge serves, newest first: 2026-07-28 per request (`server/discover`,
 * `_meta` envelope), the 2025 ones through the `initialize` handshake. The 2024 revisions are
 * left out: they predate Streamable HTTP. An `initialize` offering another revision is answered
 * with the newest 2025 one; a request whose `MCP-Protocol-Version` names another gets 400.
 */
export const SERVED_REVISIONS = ['2026-07-28', '2025-11-25', '2025-06-18', '2025-03-26'] as const;

interface DiscoverAnswering {
  _ondiscover?: () => DiscoverResult;
}

/**
 * `server/discover` lists every served revision: a client that probes with it learns that the
 * 2025 ones are served too (the 2026-07-28 specification asks a server serving both eras to list
 * them all). The SDK lists only the 2026 ones and installs its discover handler itself after the
 * per-request factory has run, so the answer is changed where that handler gets it from; the
 * check below makes an SDK upgrade that moves it fail at start-up instead of silently.
 */
export function advertiseEveryRevision(server: McpServer): void {
  const inner = server.server as unknown as DiscoverAnswering;
  const original = inner._ondiscover;
  if (typeof original !== 'function')
    throw new Error('the MCP SDK no longer answers server/discover through _ondiscover');
  inner._ondiscover = () => ({ ...original.call(inner), supportedVersions: [...SERVED_REVISIONS] });
}
