import { type VerifiedToken, verifiedToken } from '@mcp-langgraph/resource-server';
import type { AuthInfo } from '@modelcontextprotocol/server';
import type { RequestHandler } from 'express';

/** Key under which the verified token travels in `AuthInfo.extra` to the tool handlers. */
const VERIFIED = 'verifiedToken';

/**
 * After the platform's bearer guard: hands the token it verified (`req.token`) to the MCP
 * handler in the SDK's shape (`req.auth`, surfaced to tools as `ctx.http.authInfo`). The
 * verifier accepts only this server's audiences (`<public url>/mcp` and `<public url>`); both
 * name the same protected resource, so the SDK sees the canonical MCP URL as the resource.
 */
export function mcpAuthInfo(resource: URL): RequestHandler {
  return (req, _res, next) => {
    const token = verifiedToken(req);
    req.auth = {
      token: token.token,
      clientId: token.clientId,
      scopes: [...token.scopes],
      expiresAt: token.expiresAt,
      resource,
      extra: { [VERIFIED]: token },
    };
    next();
  };
}

/** The verified token behind an `AuthInfo` built by {@link mcpAuthInfo}. */
export function verifiedTokenOf(authInfo: AuthInfo | undefined): VerifiedToken | undefined {
  const v = authInfo?.extra?.[VERIFIED];
  return v && typeof v === 'object' ? (v as VerifiedToken) : undefined;
}
