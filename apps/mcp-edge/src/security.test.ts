import { DEFAULT_SCOPES, SCOPE } from '@mcp-langgraph/protocol';
import { bearerRouteTests } from '@mcp-langgraph/resource-server/testing';
import { type EdgeUnderTest, PUBLIC_URL, REVOCATION_POLL_MS, startEdge } from './testing/harness.js';

const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '1' } },
};
const MCP_ACCEPT = { accept: 'application/json, text/event-stream' };

let edge: EdgeUnderTest;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(async () => {
  await edge.close();
});

describe('every /mcp route gets the platform security tests', () => {
  bearerRouteTests({
    target: () => ({ baseUrl: edge.url, issuer: edge.issuer }),
    routes: [
      { method: 'POST', path: '/mcp', body: INIT, headers: MCP_ACCEPT, scopes: [SCOPE.tools] },
      { method: 'GET', path: '/mcp', headers: MCP_ACCEPT, scopes: [SCOPE.tools] },
      { method: 'DELETE', path: '/mcp', headers: MCP_ACCEPT, scopes: [SCOPE.tools] },
    ],
    allScopes: DEFAULT_SCOPES,
    resourceMetadataUrl: `${PUBLIC_URL}/.well-known/oauth-protected-resource/mcp`,
  });
});

describe('revocation', () => {
  const initialize = (token: string) =>
    fetch(edge.mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...MCP_ACCEPT, authorization: `Bearer ${token}` },
      body: JSON.stringify(INIT),
    });

  it('polls the auth service revocation feed with the edge client credentials', () => {
    expect(edge.tokenEndpoint.revocationFetches).toBeGreaterThanOrEqual(1);
  });

  it('refuses a revoked token within one poll interval, though it was accepted before', async () => {
    const jti = crypto.randomUUID();
    const token = edge.token({ jti });
    expect((await initialize(token)).status).toBe(200);
    edge.tokenEndpoint.revokedJtis.add(jti);
    const deadline = Date.now() + REVOCATION_POLL_MS * 3;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await initialize(token)).status;
    }
    expect(status).toBe(401);
  });
});
