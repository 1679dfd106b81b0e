/** What `oauth` of a server entry says: an OAuth client-credentials grant at `token_url`. */
export interface ClientCredentials {
  token_url: string;
  client_id: string;
  client_secret: string;
  scope?: string | undefined;
  resource?: string | undefined;
}

/** A bearer token for one downstream server, fetched when needed and reused until shortly before it expires. */
export interface TokenSource {
  token(): Promise<string>;
  /** Forgets the cached token (the server refused it); the next `token()` fetches a new one. */
  invalidate(): void;
}

/** A token endpoint that did not hand out a token; the message never carries the credentials. */
export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

export interface TokenSourceOptions {
  fetch?: typeof fetch;
  now?: () => number;
  /** Longest the token request may take. */
  timeoutMs?: number;
}

/** When the endpoint gives no lifetime: a short one, so a rotated secret or a revoked grant is seen soon. */
const DEFAULT_LIFETIME_S = 300;

/** RFC 6749 §2.3.1: client id and secret are form-encoded before they are joined for Basic. */
const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/**
 * The client-credentials grant (RFC 6749 §4.4): a form POST to `token_url` with the client
 * authenticated by HTTP Basic, `scope` and `resource` (RFC 8707) when configured. The token is
 * cached until a margin before `expires_in` (a tenth of the lifetime, at most 30 s), and callers
 * waiting at the same moment share one request.
 */
export function createTokenSource(
  credentials: ClientCredentials,
  options: TokenSourceOptions = {},
): TokenSource {
  const fetchFn = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let cached: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function request(): Promise<string> {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (credentials.scope) form.set('scope', credentials.scope);
    if (credentials.resource) form.set('resource', credentials.resource);
    let response: Response;
    try {
      response = await fetchFn(credentials.token_url, {
        method: 'POST',
        headers: {
          authorization: basic(credentials.client_id, credentials.client_secret),
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: form.toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const reason =
        (err as { name?: string }).name === 'TimeoutError' ? 'timed out' : 'could not be reached';
      throw new TokenError(`the token endpoint ${reason}`);
    }
    const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!response.ok) {
      const code = typeof body?.error === 'string' ? ` (${body.error.slice(0, 64)})` : '';
      throw new TokenError(`the token endpoint answered ${response.status}${code}`);
    }
    const token = body?.access_token;
    const type = body?.token_type;
    if (typeof token !== 'string' || token === '')
      throw new TokenError('the token endpoint answered without an access_token');
    if (typeof type === 'string' && type.toLowerCase() !== 'bearer')
      throw new TokenError(`the token endpoint issued a "${type.slice(0, 32)}" token, not a bearer token`);
    const lifetime =
      typeof body?.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_LIFETIME_S;
    const margin = Math.min(30, lifetime / 10);
    cached = { token, renewAt: now() + (lifetime - margin) * 1000 };
    return token;
  }

  return {
    async token() {
      if (cached && now() < cached.renewAt) return cached.token;
      pending ??= request().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
