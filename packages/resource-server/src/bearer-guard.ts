import { AppError } from '@mcp-langgraph/observability';
import type { Request, RequestHandler } from 'express';
import type { Counter } from 'prom-client';
import { TokenError } from './access-token.js';
import type { TokenVerifier, VerifiedToken } from './verifier.js';

declare global {
  namespace Express {
    interface Request {
      /** The caller's verified access token, set by {@link bearerGuard}. */
      token?: VerifiedToken;
    }
  }
}

export interface BearerGuardOptions {
  verifier: TokenVerifier;
  /** Scopes every request must carry; a valid token without them gets 403 `insufficient_scope`. */
  requiredScopes?: readonly string[];
  /**
   * Scopes a client should ask for when it (re-)authorizes, advertised in 401 challenges. Clients
   * request the challenge's `scope`, so it must cover what the whole API needs, not just this route.
   * Defaults to `requiredScopes`.
   */
  challengeScopes?: readonly string[];
  /** RFC 9728 metadata URL, advertised in every challenge so clients can discover the authorization server. */
  resourceMetadataUrl?: string | undefined;
  /**
   * `auth_failures_total{reason}`: `missing_token`, `insufficient_scope`, or why a presented token
   * was refused (a `TokenRefusal`: `expired`, `bad_signature`, `revoked`, `revocation_stale`, …).
   */
  failures?: Counter<'reason'>;
}

/** RFC 6750 §3 challenge; quotes and backslashes cannot occur in the values we put there. */
function challenge(params: Record<string, string | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}="${String(v).replace(/["\\]/g, '')}"`);
  return parts.length > 0 ? `Bearer ${parts.join(', ')}` : 'Bearer';
}

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

const INVALID = 'the access token is invalid or has expired';
const STALE = 'the access token cannot be checked against the revocation list right now; sign in again';

/**
 * The one bearer-token guard of the platform's resource servers (the agent and the MCP edge).
 * A request without credentials gets 401 with the bare challenge (no error code, RFC 6750 §3.1)
 * naming `resource_metadata` and the scopes to ask for, so clients start discovery there; a
 * presented token that is malformed or refused gets 401 `invalid_token` with one description
 * whatever the reason (the reason is logged and counted); a valid token without `requiredScopes`
 * gets 403 `insufficient_scope` naming them.
 * Tokens are read from the `Authorization` header only. The verified token lands on `req.token`.
 */
export function bearerGuard(options: BearerGuardOptions): RequestHandler {
  const required = [...(options.requiredScopes ?? [])];
  const advertised = (options.challengeScopes ?? required).join(' ') || undefined;
  const metadata = options.resourceMetadataUrl;
  const refuse = (reason: string, err: AppError) => {
    options.failures?.inc({ reason });
    return err;
  };
  const missing = new AppError(401, 'invalid_token', 'a Bearer access token is required', {
    'WWW-Authenticate': challenge({ resource_metadata: metadata, scope: advertised }),
  });
  const invalid = (message: string) =>
    new AppError(401, 'invalid_token', message, {
      'WWW-Authenticate': challenge({
        error: 'invalid_token',
        error_description: message,
        scope: advertised,
        resource_metadata: metadata,
      }),
    });
  // One answer for every refused token: telling a bad signature from an unknown key or a wrong
  // audience would help an attacker probe. The reason goes to the log and the metric.
  const refused = invalid(INVALID);
  const stale = invalid(STALE);
  const insufficient = insufficientScope(required, metadata);

  return async (req, _res, next) => {
    const header = req.headers.authorization;
    if (!header) return next(refuse('missing_token', missing));
    const match = BEARER.exec(header);
    if (!match)
      return next(refuse('malformed_token', invalid("the Authorization header must be 'Bearer <token>'")));
    try {
      req.token = await options.verifier.verify(match[1]!);
    } catch (err) {
      const reason = err instanceof TokenError ? err.reason : 'malformed_token';
      req.log?.info({ reason, detail: (err as Error).message }, 'access token refused');
      return next(refuse(reason, reason === 'revocation_stale' ? stale : refused));
    }
    if (!required.every((s) => req.token!.scopes.includes(s)))
      return next(refuse('insufficient_scope', insufficient));
    next();
  };
}

/** 403 `insufficient_scope` naming the scopes the request needs (RFC 6750 §3.1). */
export function insufficientScope(scopes: readonly string[], resourceMetadataUrl?: string): AppError {
  const scope = scopes.join(' ');
  return new AppError(403, 'insufficient_scope', `this request needs the scope "${scope}"`, {
    'WWW-Authenticate': challenge({
      error: 'insufficient_scope',
      error_description: `this request needs the scope "${scope}"`,
      scope,
      resource_metadata: resourceMetadataUrl,
    }),
  });
}

/** The token {@link bearerGuard} verified for this request; a route mounted without the guard is a bug, answered 401. */
export function verifiedToken(req: Request): VerifiedToken {
  if (!req.token) throw new AppError(401, 'invalid_token', 'a Bearer access token is required');
  return req.token;
}
