import type { TokenSource } from './client-credentials.js';

type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

/**
 * The `fetch` the MCP transports use for one HTTP server: the configured headers on every request
 * (where the transport set none of its own), and with `oauth` the current bearer token. A 401 drops
 * the cached token and the request is sent once more with a fresh one (the transports send string
 * bodies, so a request can be repeated).
 */
export function serverFetch(
  headers: Readonly<Record<string, string>> | undefined,
  tokens?: TokenSource,
): Fetch {
  const send = async (url: string | URL, init: RequestInit | undefined) => {
    const h = new Headers(init?.headers);
    for (const [name, value] of Object.entries(headers ?? {})) if (!h.has(name)) h.set(name, value);
    if (tokens) h.set('authorization', `Bearer ${await tokens.token()}`);
    return fetch(url, { ...init, headers: h });
  };
  return async (url, init) => {
    const response = await send(url, init);
    if (response.status !== 401 || !tokens) return response;
    await response.body?.cancel();
    tokens.invalidate();
    return send(url, init);
  };
}
