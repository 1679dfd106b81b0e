import { type EdgeUnderTest, REVOCATION_POLL_MS, startEdge } from './testing/harness.js';

/**
 * When the auth service cannot be reached, the edge cannot learn of new revocations. It keeps
 * serving for `REVOCATION_MAX_STALENESS_MS`, then refuses every token issued before its last good
 * list (any of them may have been revoked since), and recovers with the next good fetch.
 */

const STALENESS_MS = 1500;
let edge: EdgeUnderTest;
beforeAll(async () => {
  edge = await startEdge({ revocationMaxStalenessMs: STALENESS_MS });
});
afterAll(async () => {
  edge.tokenEndpoint.feedDown = false;
  await edge.close();
});

const ping = (token: string) =>
  fetch(edge.mcpUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
  });

const until = async (what: () => Promise<boolean>, ms: number) => {
  const deadline = Date.now() + ms;
  while (!(await what()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return what();
};

describe('a revocation feed that cannot be refreshed', () => {
  it('fails closed for tokens older than the last good list, and recovers', async () => {
    const now = Math.floor(Date.now() / 1000);
    const old = edge.token({ iat: now - 60, nbf: now - 60 });
    expect((await ping(old)).status).toBe(200);

    edge.tokenEndpoint.feedDown = true;
    expect(
      await until(async () => (await ping(old)).status === 401, STALENESS_MS + REVOCATION_POLL_MS * 3),
    ).toBe(true);
    const refused = await ping(old);
    expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(((await refused.json()) as { error_description: string }).error_description).toMatch(
      /revocation list/,
    );
    // A token issued after the last good list cannot have been revoked without the edge seeing it.
    const fresh = edge.token({ iat: Math.floor(Date.now() / 1000) + 1, nbf: now });
    expect((await ping(fresh)).status).toBe(200);
    const metrics = await (await fetch(`${edge.url}/metrics`)).text();
    expect(metrics).toMatch(/auth_failures_total\{reason="revocation_stale"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/revocation_feed_age_seconds\{[^}]*\} [1-9]/);

    edge.tokenEndpoint.feedDown = false;
    expect(await until(async () => (await ping(old)).status === 200, REVOCATION_POLL_MS * 3)).toBe(true);
  });
});
