import { createServer, type Server } from 'node:http';
import { createTokenExchanger } from './exchange.js';
import type { VerifiedToken } from './verifier.js';

describe('token exchange cache', () => {
  let server: Server;
  let url: string;
  let exchanges = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      exchanges += 1;
      res.setHeader('content-type', 'application/json');
      // The authorization server grants an hour; the caller's token ends much sooner.
      res.end(
        JSON.stringify({ access_token: `agent-token-${exchanges}`, token_type: 'Bearer', expires_in: 3600 }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/token`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('never hands out an exchanged token past the expiry of the token it came from', async () => {
    let clock = 1_000_000;
    const exchanger = createTokenExchanger({
      tokenEndpoint: url,
      clientId: 'edge',
      clientSecret: 'secret',
      resource: 'https://agent',
      refreshSkewSec: 30,
      now: () => clock,
    });
    const subject = { jti: 'user-jti', token: 'user-token', expiresAt: clock + 100 } as VerifiedToken;
    expect(await exchanger.exchange(subject)).toBe('agent-token-1');
    clock += 60;
    expect(await exchanger.exchange(subject)).toBe('agent-token-1');
    // Within the skew of the user token's expiry, though the exchanged one has most of an hour left.
    clock += 15;
    expect(await exchanger.exchange(subject)).toBe('agent-token-2');
  });
});
