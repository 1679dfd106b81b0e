import type { RunningServices } from '../scripts/services.js';
import { authorize, discover, register } from '../tests/e2e/oauth-client.js';

/**
 * Signs `username` in to the running stack as an MCP client does (discovery from the edge,
 * dynamic registration, PKCE) and returns the user's access token for the edge.
 */
export async function signIn(services: RunningServices, username: string, password: string): Promise<string> {
  const redirectUri = 'http://127.0.0.1:53682/callback';
  const discovery = await discover(services.urls.mcp);
  const clientId = await register(discovery, redirectUri);
  const { accessToken } = await authorize(discovery, { clientId, redirectUri, username, password });
  return accessToken;
}
