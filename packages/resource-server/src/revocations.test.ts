import { createServer, type Server } from 'node:http';
import { Registry } from 'prom-client';
import { createRevocationFeed } from './revocations.js';
import type { VerifiedToken } from './verifier.js';

/** A feed endpoint whose answer and availability the test controls. */
async function startFeed() {
  const state = { up: true, jtis: [] as string[], disabled: [] as string[], auth: '' };
  const server: Server = createServer((req, res) => {
    state.auth = req.headers.authorization ?? '';
    if (!state.up) {
      res.statusCode = 503;
      res.end();
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ jtis: state.jtis, disabled_subjects: state.disabled, generated_at: 0 }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/revocations`;
  return { state, url, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const token = (over: Partial<VerifiedToken> = {}): VerifiedToken => ({
  token: 'x',
  sub: 'alice-id',
  subType: 'user',
  subject: 'user:alice-id',
  clientId: 'c',
  scopes: [],
  audience: 'a',
  expiresAt: 0,
  jti: 'jti-1',
  issuedAt: 1000,
  ...over,
});

describe('revocation feed', () => {
  let feed: Awaited<ReturnType<typeof startFeed>>;
  beforeEach(async () => {
    feed = await startFeed();
  });
  afterEach(() => feed.close());

  const feedAt = (now: () => number, options: Partial<Parameters<typeof createRevocationFeed>[0]>) =>
    createRevocationFeed({ url: feed.url, clientId: 'agent', clientSecret: 's', now, ...options });

  it('revokes a token, the token exchanged from it, and a disabled user’s tokens', async () => {
    const revocations = createRevocationFeed({ url: feed.url, clientId: 'agent', clientSecret: 's3cret' });
    feed.state.jtis = ['user-jti'];
    feed.state.disabled = ['bob-id'];
    await revocations.refresh();
    expect(feed.state.auth).toBe(`Basic ${Buffer.from('agent:s3cret').toString('base64')}`);
    expect(revocations.verdict(token({ jti: 'user-jti' }))).toBe('revoked');
    expect(revocations.verdict(token({ jti: 'agent-jti', subjectJti: 'user-jti' }))).toBe('revoked');
    expect(revocations.verdict(token({ sub: 'bob-id' }))).toBe('revoked');
    expect(revocations.verdict(token({ sub: 'bob-id', subType: 'client' }))).toBeUndefined();
    expect(revocations.verdict(token())).toBeUndefined();
  });

  it('refuses tokens older than its last good list once it is stale, and says so once', async () => {
    let clock = 10_000_000;
    const events: boolean[] = [];
    const registry = new Registry();
    const revocations = feedAt(() => clock, {
      intervalMs: 1000,
      onStale: (stale) => events.push(stale),
      registry,
    });
    await revocations.refresh();
    const before = token({ issuedAt: clock / 1000 - 60 });
    feed.state.up = false;
    clock += 2999;
    await expect(revocations.refresh()).rejects.toThrow(/503/);
    expect(revocations.verdict(before)).toBeUndefined();
    clock += 2;
    expect(revocations.verdict(before)).toBe('stale');
    expect(revocations.verdict(before)).toBe('stale');
    // Issued after the last good list: nothing the list could have missed about it.
    expect(revocations.verdict(token({ issuedAt: 10_000_000 / 1000 + 1 }))).toBeUndefined();
    expect(revocations.verdict(token({ issuedAt: undefined }))).toBe('stale');
    expect(await registry.getSingleMetricAsString('revocation_feed_age_seconds')).toMatch(/ 3\.001$/m);
    feed.state.up = true;
    await revocations.refresh();
    expect(revocations.verdict(before)).toBeUndefined();
    expect(events).toEqual([true, false]);
  });

  it('fails closed when it never got a list, after the grace period from start-up', () => {
    let clock = 0;
    const revocations = feedAt(() => clock, { maxStalenessMs: 5000 });
    expect(revocations.verdict(token({ issuedAt: 1 }))).toBeUndefined();
    clock = 5001;
    expect(revocations.verdict(token({ issuedAt: 5 }))).toBe('stale');
  });
});
