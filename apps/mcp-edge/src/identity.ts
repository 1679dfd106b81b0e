import { basicAuthorization, GRANT_TYPE } from '@mcp-langgraph/protocol';
import { TokenError, type TokenVerifier, type VerifiedToken } from '@mcp-langgraph/resource-server';
import type { ServerContext } from '@modelcontextprotocol/server';
import { verifiedTokenOf } from './auth-info.js';
import { type Identify, ToolFailure } from './tools/tool-call-gate.js';

/** Over HTTP the caller is the bearer token verified by the guard in front of `/mcp`. */
export const httpIdentity: Identify = async (ctx: ServerContext) => {
  const token = verifiedTokenOf(ctx.http?.authInfo);
  if (!token) throw new ToolFailure('this tool needs an authenticated caller', 'denied');
  return token;
};

/** Hands out a current access token for this server (and knows how to get a new one). */
export interface TokenSource {
  token(): Promise<string>;
}

/** A token given to the process as is; once it expires the caller has to supply a new one. */
export function staticTokenSource(token: string): TokenSource {
  return { token: async () => token };
}

export interface ClientCredentialsOptions {
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
  /** RFC 8707 resource: this server's MCP endpoint. */
  resource: string;
  scope: string;
  /** Seconds before expiry at which a new token is fetched. */
  refreshSkewSec?: number;
  fetch?: typeof fetch;
}

/**
 * Tokens for a machine client (OAuth client credentials, subject `client:<id>`), fetched when
 * needed and reused until shortly before they expire.
 */
export function clientCredentialsTokenSource(options: ClientCredentialsOptions): TokenSource {
  const doFetch = options.fetch ?? fetch;
  const skew = options.refreshSkewSec ?? 30;
  const authorization = basicAuthorization(options.clientId, options.clientSecret);
  let cached: { token: string; expiresAt: number } | undefined;
  let inflight: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    let res: Response;
    try {
      res = await doFetch(options.tokenEndpoint, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: GRANT_TYPE.clientCredentials,
          scope: options.scope,
          resource: options.resource,
        }),
        signal: AbortSignal.timeout(5000),
      });
    } catch {
      throw new ToolFailure('the authorization server is unavailable right now; try again later');
    }
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok || typeof body.access_token !== 'string') {
      const code = typeof body.error === 'string' ? body.error : `HTTP ${res.status}`;
      throw new ToolFailure(`the configured client credentials were refused (${code})`, 'denied');
    }
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 60;
    cached = { token: body.access_token, expiresAt: Date.now() / 1000 + expiresIn };
    return body.access_token;
  }

  return {
    async token() {
      if (cached && cached.expiresAt - skew > Date.now() / 1000) return cached.token;
      inflight ??= fetchToken().finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
  };
}

/**
 * The caller for a process that is not behind the HTTP guard (stdio): the source's token is
 * verified like any bearer token (signature, issuer, audience, expiry) and must carry `scopes`.
 */
export function tokenSourceIdentity(
  source: TokenSource,
  verifier: TokenVerifier,
  scopes: readonly string[],
): Identify {
  return async () => {
    let token: VerifiedToken;
    try {
      token = await verifier.verify(await source.token());
    } catch (err) {
      if (err instanceof ToolFailure) throw err;
      // Only the verifier's own reasons are shown; anything else could carry internals.
      const reason = err instanceof TokenError ? err.message : 'token could not be verified';
      throw new ToolFailure(
        `the configured access token is not usable (${reason}); supply a new one`,
        'denied',
      );
    }
    const missing = scopes.filter((s) => !token.scopes.includes(s));
    if (missing.length > 0)
      throw new ToolFailure(`the configured access token lacks the scope ${missing.join(' ')}`, 'denied');
    return token;
  };
}
