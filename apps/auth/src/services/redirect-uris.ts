import { GRANT_TYPE, isLoopbackHost } from '@mcp-langgraph/protocol';

/** What a public client (registered, or described by a metadata document) may use: the code flow. */
export const PUBLIC_CLIENT_GRANTS: readonly string[] = [
  GRANT_TYPE.authorizationCode,
  GRANT_TYPE.refreshToken,
];

/**
 * Whether a redirect URI may be registered: HTTPS anywhere, plain HTTP only on a loopback host,
 * absolute, without fragment or credentials (OAuth 2.1 and RFC 8252).
 */
export function isAcceptableRedirectUri(value: string): boolean {
  if (value.length > 2000) return false;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return false;
  }
  if (u.hash || value.includes('#') || u.username || u.password) return false;
  if (u.protocol === 'https:') return u.hostname.length > 0;
  if (u.protocol === 'http:') return isLoopbackHost(u.hostname);
  return false;
}

/** The redirect URI with the response parameters added (keeping any query it already has). */
export function withParams(redirectUri: string, params: Record<string, string | undefined>): string {
  const u = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.append(k, v);
  return u.toString();
}
