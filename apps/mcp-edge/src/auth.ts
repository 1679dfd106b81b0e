import { TokenError, type TokenVerifier, type VerifiedToken } from '@mcp-langgraph/resource-server';
import {
  type AuthInfo,
  bearerAuthChallengeResponse,
  OAuthError,
  OAuthErrorCode,
  type OAuthTokenVerifier,
  verifyBearerToken,
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
  /** Scopes every request must carry (403 `insufficient_scope` otherwise). */
  requiredScopes: string[];
  /**
   * Scopes a client should ask for when it (re-)authorizes, advertised in 401 challenges: clients
   * request the challenge's `scope`, so it must cover what the tools need, not just admission.
   */
  challengeScopes: string[];
  /** `auth_failures_total{reason}`. */
  failures?: Counter<'reason'>;
}

/**
 * Bearer authentication for `/mcp` on the SDK's runtime-neutral core (`verifyBearerToken`,
 * `bearerAuthChallengeResponse`, which `requireBearerAuth` wraps). A request without credentials
 * gets the bare RFC 6750 §3.1 challenge (no error code) so clients start discovery from
 * `resource_metadata`; a presented token that is refused gets `invalid_token`; a valid token
 * without the required scope gets 403 `insufficient_scope`. The verified `AuthInfo` lands on
 * `req.auth`, where the MCP handler picks it up.
 */
export function bearerGuard(options: BearerGuardOptions): RequestHandler {
  const verifyOptions = {
    verifier: options.verifier,
    requiredScopes: options.requiredScopes,
    resourceMetadataUrl: options.resourceMetadataUrl,
    expectedResource: options.resource,
  };
  const bare = `Bearer resource_metadata="${options.resourceMetadataUrl}", scope="${options.challengeScopes.join(' ')}"`;
  return async (req, res, next) => {
    const header = req.headers.authorization;
    if (!header) {
      options.failures?.inc({ reason: 'missing_token' });
      res
        .status(401)
        .set('WWW-Authenticate', bare)
        .json({ error: 'invalid_token', error_description: 'a Bearer access token is required' });
      return;
    }
    try {
      req.auth = await verifyBearerToken(header, verifyOptions);
    } catch (error) {
      const insufficient = error instanceof OAuthError && error.code === OAuthErrorCode.InsufficientScope;
      const response = bearerAuthChallengeResponse(error, {
        requiredScopes: insufficient ? options.requiredScopes : options.challengeScopes,
        resourceMetadataUrl: options.resourceMetadataUrl,
      });
      options.failures?.inc({ reason: insufficient ? 'insufficient_scope' : 'invalid_token' });
      const challenge = response.headers.get('WWW-Authenticate');
      if (challenge) res.set('WWW-Authenticate', challenge);
      res
        .status(response.status)
        .type('application/json')
        .send(await response.text());
      return;
    }
    next();
  };
}
