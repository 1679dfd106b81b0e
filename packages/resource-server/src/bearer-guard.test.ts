import { createBaseApp, createLogger, createMetrics, listen } from '@mcp-langgraph/observability';
import { DEFAULT_SCOPES, SCOPE } from '@mcp-langgraph/protocol';
import express from 'express';
import { bearerGuard, verifiedToken } from './bearer-guard.js';
import { createJwksClient } from './jwks.js';
import { bearerRouteTests, startTestIssuer, type TestIssuer } from './testing.js';
import { createTokenVerifier } from './verifier.js';

const AUDIENCE = 'https://api.example.com';
const METADATA = 'https://api.example.com/.well-known/oauth-protected-resource';

let issuer: TestIssuer;
let baseUrl: string;
let close: () => Promise<void>;
const metrics = createMetrics('test', { defaultMetrics: false });

beforeAll(async () => {
  issuer = await startTestIssuer({ audience: AUDIENCE });
  const verifier = createTokenVerifier({
    issuer: issuer.issuer,
    audiences: [AUDIENCE],
    jwks: createJwksClient({ jwksUrl: issuer.jwksUrl }),
  });
  const guard = (...scopes: string[]) =>
    bearerGuard({
      verifier,
      requiredScopes: scopes,
      challengeScopes: DEFAULT_SCOPES,
      resourceMetadataUrl: METADATA,
      failures: metrics.authFailures,
    });
  const { app } = createBaseApp({
    logger: createLogger({ service: 'test', level: 'silent' }),
    metrics,
    corsOrigins: [],
    bodyLimit: '1kb',
    routes(a) {
      a.get('/read', guard(SCOPE.conversationsRead), (req, res) => {
        res.json({ sub: verifiedToken(req).sub });
      });
      a.post('/write', express.json(), guard(SCOPE.tools, SCOPE.conversationsWrite), (_req, res) => {
        res.status(201).json({ ok: true });
      });
    },
  });
  const server = await listen(app, 0, '127.0.0.1');
  baseUrl = `http://127.0.0.1:${server.port}`;
  close = server.close;
});

afterAll(async () => {
  await close();
  await issuer.close();
});

bearerRouteTests({
  target: () => ({ baseUrl, issuer }),
  allScopes: DEFAULT_SCOPES,
  resourceMetadataUrl: METADATA,
  routes: [
    { method: 'GET', path: '/read', scopes: [SCOPE.conversationsRead] },
    { method: 'POST', path: '/write', body: {}, scopes: [SCOPE.tools, SCOPE.conversationsWrite] },
  ],
});

describe('bearerGuard', () => {
  it('advertises what to ask for in the bare challenge and hands the route the verified token', async () => {
    const bare = await fetch(`${baseUrl}/read`);
    expect(bare.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${METADATA}", scope="${DEFAULT_SCOPES.join(' ')}"`,
    );
    expect(await bare.json()).toEqual({
      error: 'invalid_token',
      error_description: 'a Bearer access token is required',
    });
    const ok = await fetch(`${baseUrl}/read`, {
      headers: { authorization: `Bearer ${issuer.sign({ sub: 'alice-id' })}` },
    });
    expect(await ok.json()).toEqual({ sub: 'alice-id' });
  });

  it('refuses a token in the query string and a non-Bearer scheme', async () => {
    const token = issuer.sign();
    expect((await fetch(`${baseUrl}/read?access_token=${token}`)).status).toBe(401);
    const basic = await fetch(`${baseUrl}/read`, { headers: { authorization: `Basic ${token}` } });
    expect(basic.status).toBe(401);
    expect(basic.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('tells the client only that its token is invalid, and counts the reason', async () => {
    const now = Math.floor(Date.now() / 1000);
    const descriptions = new Set<string>();
    for (const token of [
      issuer.sign({ aud: 'https://other.example' }),
      issuer.sign({ iss: 'https://evil.example' }),
      issuer.sign({ iat: now - 900, nbf: now - 900, exp: now - 600 }),
      issuer.sign({}, { kid: 'no-such-key' }),
    ]) {
      const res = await fetch(`${baseUrl}/read`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(401);
      descriptions.add(((await res.json()) as { error_description: string }).error_description);
      descriptions.add(
        /error_description="([^"]*)"/.exec(res.headers.get('www-authenticate') ?? '')?.[1] ?? '',
      );
    }
    expect([...descriptions]).toEqual(['the access token is invalid or has expired']);
    const text = await metrics.registry.metrics();
    for (const reason of [
      'missing_token',
      'wrong_audience',
      'wrong_issuer',
      'expired',
      'unknown_key',
      'insufficient_scope',
    ])
      expect(text).toMatch(new RegExp(`auth_failures_total\\{reason="${reason}"[^}]*\\} [1-9]`));
  });
});
