import { fetchWithGatewaySecret, GATEWAY_SECRET_HEADER } from '@mcp-langgraph/observability';
import { callTool, textOf } from '@mcp-langgraph/testing';
import { type Discovery, discover, register } from './oauth-client.js';
import { REDIRECT_URI, useStack } from './stack.js';

/**
 * The mandatory gateway with the real services: GATEWAY_SECRET set for all three. This suite's
 * own requests play Kong (every one carries the secret, as Kong's configuration adds it), while
 * the direct requests below, without it or with a wrong one, play a caller that bypasses Kong.
 * The edge's token exchange at auth and the agent's and edge's reads of the public keys and the
 * revocation feed go over the internal network, so a whole conversation proves those paths work.
 */

const SECRET = 'e2e-gateway-secret-0123456789abcdef';
const direct = globalThis.fetch;
globalThis.fetch = fetchWithGatewaySecret(SECRET, direct);
afterAll(() => {
  globalThis.fetch = direct;
});

const stack = useStack({ env: { GATEWAY_SECRET: SECRET } });
let discovery: Discovery;

const bypass = (path: 'edge' | 'auth', rest: string, init: RequestInit = {}) =>
  direct(`${stack.services().urls[path]}${rest}`, init);

describe('services behind a mandatory gateway', () => {
  it('refuse a caller that bypasses the gateway, at the edge and at auth, with or without a guess', async () => {
    const attempts = [
      () =>
        bypass('edge', '/mcp', {
          method: 'POST',
          body: '{}',
          headers: { 'content-type': 'application/json' },
        }),
      () => bypass('edge', '/.well-known/oauth-protected-resource/mcp'),
      () => bypass('auth', '/token', { method: 'POST', body: 'grant_type=client_credentials' }),
      () => bypass('auth', '/authorize?client_id=x'),
      () => bypass('auth', '/token', { method: 'POST', headers: { [GATEWAY_SECRET_HEADER]: 'a-guess' } }),
      () => bypass('edge', '/mcp', { headers: { [GATEWAY_SECRET_HEADER]: SECRET.toUpperCase() } }),
    ];
    for (const attempt of attempts) {
      const res = await stack.explained(attempt);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: 'gateway_required' });
    }
  });

  it('keep /healthz and the public keys open to probes and the other services', async () => {
    expect((await bypass('edge', '/healthz')).status).toBe(200);
    expect((await bypass('auth', '/healthz')).status).toBe(200);
    const keys = await bypass('auth', '/.well-known/jwks.json');
    expect(keys.status).toBe(200);
    expect(((await keys.json()) as { keys: unknown[] }).keys.length).toBeGreaterThan(0);
  });

  it('serve the whole flow through the gateway: sign-in, token exchange and a conversation', async () => {
    const { urls } = stack.services();
    discovery = await stack.explained(() => discover(urls.mcp));
    const clientId = await stack.explained(() => register(discovery, REDIRECT_URI));
    const token = await stack.signIn(discovery, clientId, 'alice', 'secret-a');
    const alice = await stack.connect(token);
    const answer = await stack.explained(() => callTool(alice, 'chat', { message: 'What is 17 * 23?' }));
    expect(answer.isError).toBeFalsy();
    expect(textOf(answer)).toContain('391');
  });
});
