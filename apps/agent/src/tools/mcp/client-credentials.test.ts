import { startTokenEndpoint, type TestTokenEndpoint } from '../../testing/mcp-server.js';
import { createTokenSource, TokenError } from './client-credentials.js';

const CLIENT = { id: 'agent', secret: 'p@ss word:1' };

describe('the client-credentials token source', () => {
  let endpoint: TestTokenEndpoint;
  beforeAll(async () => {
    endpoint = await startTokenEndpoint(CLIENT, 600);
  });
  afterAll(() => endpoint.close());
  beforeEach(() => {
    endpoint.requests.length = 0;
  });

  const source = (now: () => number, secret = CLIENT.secret) =>
    createTokenSource({ token_url: endpoint.url, client_id: CLIENT.id, client_secret: secret }, { now });

  it('keeps a token until shortly before it expires, then fetches the next', async () => {
    let t = 1_000_000;
    const tokens = source(() => t);
    const first = await tokens.token();
    t += 500_000; // 500 s of a 600 s lifetime
    expect(await tokens.token()).toBe(first);
    t += 75_000; // within the last 30 s
    expect(await tokens.token()).not.toBe(first);
    expect(endpoint.requests).toHaveLength(2);
    expect(endpoint.requests[0]!.form.get('grant_type')).toBe('client_credentials');
  });

  it('shares one request among callers waiting at the same time, and fetches again once invalidated', async () => {
    const tokens = source(Date.now);
    const all = await Promise.all([tokens.token(), tokens.token(), tokens.token()]);
    expect(new Set(all).size).toBe(1);
    expect(endpoint.requests).toHaveLength(1);
    tokens.invalidate();
    expect(await tokens.token()).not.toBe(all[0]);
  });

  it('reports a refusal by status and error code, never with the secret', async () => {
    const error = await source(Date.now, 'wrong secret')
      .token()
      .catch((e: Error) => e);
    expect(error).toBeInstanceOf(TokenError);
    expect((error as Error).message).toBe('the token endpoint answered 401 (invalid_client)');
    expect((error as Error).message).not.toContain('wrong secret');
  });

  it('reports an endpoint that cannot be reached', async () => {
    const tokens = createTokenSource({
      token_url: 'http://127.0.0.1:1/token',
      client_id: 'a',
      client_secret: 'b',
    });
    await expect(tokens.token()).rejects.toThrow('the token endpoint could not be reached');
  });
});
