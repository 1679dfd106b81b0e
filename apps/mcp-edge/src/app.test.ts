import { type EdgeUnderTest, MCP_RESOURCE, PUBLIC_URL, startEdge } from './testing/harness.js';

const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '1' } },
};

let edge: EdgeUnderTest;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(async () => {
  await edge.close();
});

function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(edge.mcpUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('protected resource metadata (RFC 9728)', () => {
  it.each(['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp'])(
    'is served at %s',
    async (path) => {
      const res = await fetch(`${edge.url}${path}`);
      expect(res.status).toBe(200);
      const doc = (await res.json()) as Record<string, unknown>;
      expect(doc.resource).toBe(MCP_RESOURCE);
      expect(doc.authorization_servers).toEqual([edge.issuer.issuer]);
      expect(doc.scopes_supported).toEqual(expect.arrayContaining(['mcp:tools']));
      expect(doc.bearer_methods_supported).toEqual(['header']);
    },
  );

  it('allows browser-based clients to read it cross-origin', async () => {
    const res = await fetch(`${edge.url}/.well-known/oauth-protected-resource/mcp`, {
      headers: { origin: 'https://inspector.example' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeTruthy();
  });
});

describe('bearer authentication on /mcp', () => {
  const metadataUrl = `${PUBLIC_URL}/.well-known/oauth-protected-resource/mcp`;

  it('answers a request without a token with 401 and a challenge naming the metadata', async () => {
    const res = await post(INIT);
    expect(res.status).toBe(401);
    const challenge = res.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain(`resource_metadata="${metadataUrl}"`);
    expect(challenge).not.toContain('error=');
    // Clients ask for the challenge's scope: it must cover what the tools need.
    expect(challenge).toContain('scope="mcp:tools conversations:read conversations:write"');
  });

  it.each([
    ['a token that is not a JWT', () => 'not-a-jwt'],
    ['a token signed by another key', () => `${edge.token().slice(0, -6)}AAAAAA`],
    ['an expired token', () => edge.token({ exp: Math.floor(Date.now() / 1000) - 600, iat: 0, nbf: 0 })],
    ['a token for another audience', () => edge.token({ aud: 'http://localhost:4002' })],
    ['a token from another issuer', () => edge.token({ iss: 'http://evil.example' })],
  ])('answers %s with 401 invalid_token', async (_name, make) => {
    const res = await post(INIT, bearer(make()));
    expect(res.status).toBe(401);
    const challenge = res.headers.get('www-authenticate') ?? '';
    expect(challenge).toContain('error="invalid_token"');
    expect(challenge).toContain(`resource_metadata="${metadataUrl}"`);
  });

  it('answers a token without the mcp:tools scope with 403 insufficient_scope', async () => {
    const res = await post(INIT, bearer(edge.token({ scope: 'conversations:read' })));
    expect(res.status).toBe(403);
    const challenge = res.headers.get('www-authenticate') ?? '';
    expect(challenge).toContain('error="insufficient_scope"');
    expect(challenge).toContain('scope="mcp:tools"');
  });

  it('refuses a token passed in the query string', async () => {
    const res = await fetch(`${edge.mcpUrl}?access_token=${edge.token()}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify(INIT),
    });
    expect(res.status).toBe(401);
  });

  it('accepts a valid token and answers initialize', async () => {
    const res = await post(INIT, bearer(edge.token()));
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('"serverInfo"');
    expect(text).toContain('mcp-langgraph');
  });

  it('accepts a token whose audience is the bare public URL', async () => {
    const res = await post(INIT, bearer(edge.token({ aud: PUBLIC_URL })));
    expect(res.status).toBe(200);
  });

  it('counts refusals in auth_failures_total by their reason, which the client is not told', async () => {
    const metrics = await (await fetch(`${edge.url}/metrics`)).text();
    for (const reason of ['missing_token', 'malformed_token', 'expired', 'wrong_audience', 'wrong_issuer'])
      expect(metrics).toMatch(new RegExp(`auth_failures_total\\{reason="${reason}"[^}]*\\} [1-9]`));
  });
});

describe('request validation on /mcp', () => {
  it('answers malformed JSON with 400 and a JSON-RPC parse error', async () => {
    const res = await post('{"jsonrpc": "2.0", "id": 1, "method":', bearer(edge.token()));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: number } };
    expect(body.error.code).toBe(-32700);
  });

  it('answers a body nested past the limit with 400 and a JSON-RPC error naming the limit', async () => {
    const deep = `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"chat","arguments":{"message":${'['.repeat(10_000)}${']'.repeat(10_000)}}}}`;
    const res = await post(deep, bearer(edge.token()));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: number; message: string } };
    expect(body.error).toEqual({ code: -32600, message: 'request body nests deeper than 32 levels' });
    expect((await fetch(`${edge.url}/healthz`)).status).toBe(200);
  });

  it('answers a non-JSON content type with 415', async () => {
    const res = await fetch(edge.mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...bearer(edge.token()) },
      body: 'hello',
    });
    expect(res.status).toBe(415);
  });

  it.each([
    ['a JSON body', 'application/json', JSON.stringify({ ...INIT, padding: 'x'.repeat(200_000) })],
    ['a body of another type', 'text/plain', 'x'.repeat(200_000)],
  ])('refuses %s over BODY_LIMIT with 413', async (_name, type, body) => {
    const res = await fetch(edge.mcpUrl, {
      method: 'POST',
      headers: {
        'content-type': type,
        accept: 'application/json, text/event-stream',
        ...bearer(edge.token()),
      },
      body,
    });
    expect(res.status).toBe(413);
  });

  it('refuses a request from a foreign Origin with 403 (DNS rebinding)', async () => {
    const res = await post(INIT, { ...bearer(edge.token()), origin: 'https://evil.example' });
    expect(res.status).toBe(403);
  });

  it('accepts a request from a loopback Origin', async () => {
    const res = await post(INIT, { ...bearer(edge.token()), origin: 'http://localhost:6274' });
    expect(res.status).toBe(200);
  });

  it('lets a browser client on an allowed origin call /mcp cross-origin, and no other', async () => {
    const preflight = (origin: string) =>
      fetch(edge.mcpUrl, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,mcp-protocol-version',
        },
      });
    const ok = await preflight('http://localhost:6274');
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:6274');
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
    const evil = await preflight('https://evil.example');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const res = await post(INIT, { ...bearer(edge.token()), origin: 'http://localhost:6274' });
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:6274');
    expect(res.headers.get('access-control-expose-headers')).toMatch(/WWW-Authenticate/);
  });

  it('refuses a foreign Host header with 403', async () => {
    // fetch does not let a caller set Host; node:http does.
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        edge.mcpUrl,
        {
          method: 'POST',
          headers: {
            host: 'attacker.example',
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            ...bearer(edge.token()),
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(INIT));
    });
    expect(status).toBe(403);
  });

  it('answers GET /mcp with 405 (no server-initiated stream without sessions)', async () => {
    const res = await fetch(edge.mcpUrl, {
      headers: { accept: 'text/event-stream', ...bearer(edge.token()) },
    });
    expect(res.status).toBe(405);
  });
});

describe('operational routes', () => {
  it('serves /healthz, /readyz and /metrics with the tool counter', async () => {
    expect((await fetch(`${edge.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${edge.url}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${edge.url}/metrics`)).text();
    expect(metrics).toContain('mcp_tool_calls_total');
  });
});
