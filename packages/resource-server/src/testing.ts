export {
  type BearerRouteTestOptions,
  bearerRouteTests,
  type ClientAuthRoute,
  type ClientAuthRouteTestOptions,
  clientAuthRouteTests,
  type ProtectedRoute,
} from './security-suite.js';

import { generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { DEFAULT_SCOPES } from '@mcp-langgraph/protocol';
import jwt from 'jsonwebtoken';
import { canonicalEs256 } from './access-token.js';

export interface TestIssuer {
  issuer: string;
  jwksUrl: string;
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Signs an access token with sensible defaults; `claims` and `header` override them. */
  sign(claims?: Record<string, unknown>, header?: Record<string, unknown>): string;
  close(): Promise<void>;
}

/** A real JWKS endpoint on 127.0.0.1 and a signer, for resource-server tests without the auth service. */
export async function startTestIssuer(defaults: { audience: string; issuer?: string }): Promise<TestIssuer> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = randomUUID();
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' };
  const server: Server = createServer((req, res) => {
    if (req.url === '/.well-known/jwks.json') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}`;
  const issuer = defaults.issuer ?? base;
  return {
    issuer,
    jwksUrl: `${base}/.well-known/jwks.json`,
    kid,
    privateKey,
    publicKey,
    sign(claims = {}, header = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload = {
        iss: issuer,
        sub: randomUUID(),
        sub_type: 'user',
        aud: defaults.audience,
        iat: now,
        nbf: now,
        exp: now + 300,
        jti: randomUUID(),
        client_id: 'test-client',
        scope: DEFAULT_SCOPES.join(' '),
        ...claims,
      };
      return canonicalEs256(
        jwt.sign(payload, privateKey, {
          algorithm: 'ES256',
          header: { alg: 'ES256', typ: 'at+jwt', kid, ...header } as jwt.JwtHeader,
        }),
      );
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
