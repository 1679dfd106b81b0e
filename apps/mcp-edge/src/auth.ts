import { TokenError, type TokenVerifier, type VerifiedToken } from '@mcp-langgraph/resource-server';
import { requireBearerAuth } from '@modelcontextprotocol/express';
import {
  type AuthInfo,
  OAuthError,
  OAuthErrorCode,
  type OAuthTokenVerifier,
} from '@modelcontextprotocol/server';
import type { RequestHandler } from 'express';
import type { Counter } from 'prom-client';

/** Key under which the verified token travels in `AuthInfo.extra` to the tool handlers. */
const VERIFIED = 'verifiedToken';

/**
 * Adapts the project's RFC 9068 verifier to the SDK's `OAuthTokenVerifier`. The verifier already
 * accepts only this server's audiences (`<public url>/mcp` and `<public url>`); both name the
 * same protected resource, so the SDK sees the canonical MCP URL as the token's resource.
 */
export function createOAuthVerifier(verifier: TokenVerifier, resource: URL): OAuthTokenVerifier {
  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      let verified: VerifiedToken;
      try {
        verified = await verifier.verify(token);
      } catch (err) {
        const message = err instanceof TokenError ? err.message : 'token could not be verified';
        throw new OAuthError(OAuthErrorCode.InvalidToken, message);
      }
      return {
        token,
        clientId: verified.clientId,
        scopes: [...verified.scopes],
        expiresAt: verified.expiresAt,
        resource,
        extra: { [VERIFIED]: verified },
      };
    },
  };
}

/** The verified token behind an `AuthInfo` built by {@link createOAuthVerifier}. */
export function verifiedTokenOf(authInfo: AuthInfo | undefined): VerifiedToken | undefined {
  const v = authInfo?.extra?.[VERIFIED];
  return v && typeof v === 'object' ? (v as VerifiedToken) : undefined;
}

export interface BearerGuardOptions {
  verifier: OAuthTokenVerifier;
  resource: URL;
  resourceMetadataUrl: string;
  requiredScopes: string[];
  /** `auth_failures_total{reason}`. */
  failures?: Counter<'reason'>;
}

/**
 * Bearer authentication for `/mcp` through the SDK's `requireBearerAuth`. A request that carries
 * no credentials at all gets the bare RFC 6750 §3.1 challenge (no error code), so clients start
 * discovery from `resource_metadata`; anything presented and refused gets `invalid_token`, and a
 * valid token without the required scope gets 403 `insufficient_scope`.
 */
export function bearerGuard(options: BearerGuardOptions): RequestHandler {
  const sdkGuard = requireBearerAuth({
    verifier: options.verifier,
    requiredScopes: options.requiredScopes,
    resourceMetadataUrl: options.resourceMetadataUrl,
    expectedResource: options.resource,
  });
  const bare = `Bearer resource_metadata="${options.resourceMetadataUrl}", scope="${options.requiredScopes.join(' ')}"`;
  return (req, res, next) => {
    if (!req.headers.authorization) {
      options.failures?.inc({ reason: 'missing_token' });
      res
        .status(401)
        .set('WWW-Authenticate', bare)
        .json({ error: 'invalid_token', error_description: 'a Bearer access token is required' });
      return;
    }
    let passed = false;
    res.once('finish', () => {
      if (passed) return;
      options.failures?.inc({ reason: res.statusCode === 403 ? 'insufficient_scope' : 'invalid_token' });
    });
    return sdkGuard(req, res, (err?: unknown) => {
      passed = true;
      next(err);
    });
  };
}
