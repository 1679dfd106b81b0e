import { AppError } from '@mcp-langgraph/observability';
import type { RequestHandler } from 'express';
import { TokenError } from './access-token.js';
import type { TokenVerifier, VerifiedToken } from './verifier.js';

declare global {
  namespace Express {
    interface Request {
      token?: VerifiedToken;
    }
  }
}

export interface RequireTokenOptions {
  verifier: TokenVerifier;
  /** Scopes every request must carry. */
  scopes?: readonly string[];
  /** RFC 9728 metadata URL, advertised in the challenge. */
  resourceMetadataUrl?: string;
}

function challenge(params: Record<string, string | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}="${String(v).replace(/["\\]/g, '')}"`);
  return `Bearer ${parts.join(', ')}`;
}

/** Bearer-token guard: 401 with an RFC 6750 challenge for a missing or bad token, 403 for missing scope. */
export function requireToken(options: RequireTokenOptions): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization');
    const match = header ? /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(header) : null;
    if (!match) {
      return next(
        new AppError(401, 'invalid_token', 'a Bearer access token is required in the Authorization header', {
          'WWW-Authenticate': challenge({ resource_metadata: options.resourceMetadataUrl }),
        }),
      );
    }
    try {
      req.token = await options.verifier.verify(match[1]!);
    } catch (err) {
      const message = err instanceof TokenError ? err.message : 'token could not be verified';
      return next(
        new AppError(401, 'invalid_token', message, {
          'WWW-Authenticate': challenge({
            error: 'invalid_token',
            error_description: message,
            resource_metadata: options.resourceMetadataUrl,
          }),
        }),
      );
    }
    const missing = (options.scopes ?? []).filter((s) => !req.token!.scopes.includes(s));
    if (missing.length > 0) return next(insufficientScope(options.scopes ?? [], options.resourceMetadataUrl));
    next();
  };
}

export function insufficientScope(scopes: readonly string[], resourceMetadataUrl?: string): AppError {
  const scope = scopes.join(' ');
  return new AppError(403, 'insufficient_scope', `this request needs the scope "${scope}"`, {
    'WWW-Authenticate': challenge({
      error: 'insufficient_scope',
      scope,
      resource_metadata: resourceMetadataUrl,
    }),
  });
}

/** For routes mounted behind `requireToken`: throws 403 unless the verified token holds every scope. */
export function assertScopes(token: VerifiedToken | undefined, scopes: readonly string[]): VerifiedToken {
  if (!token) throw new AppError(401, 'invalid_token', 'a Bearer access token is required');
  if (!scopes.every((s) => token.scopes.includes(s))) throw insufficientScope(scopes);
  return token;
}
