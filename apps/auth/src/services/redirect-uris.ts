import { GRANT_TYPE, isLoopbackHost } from '@mcp-langgraph/protocol';

/** What a public client (registered, or described by a metadata document) may use: the code flow. */
export const PUBLIC_CLIENT_GRANTS: readonly string[] = [
  GRANT_TYPE.authorizationCode,
  GRANT_TYPE.refreshToken,
];

// Whitespace and control characters (which URL parsers silently drop), a backslash (which browsers
// read as a slash, so `https://evil.example\@app.example/cb` goes to evil.example) and non-ASCII
// characters (look-alike hosts) have no place in a URI that is compared character by character.
const UNSAFE_CHARACTERS = /[^\x21-\x7e]|\\/;

/** Whether the authority (between `//` and the path) holds an `@`, i.e. userinfo, even an empty one. */
function hasUserinfo(value: string): boolean {
  const rest = value.slice(value.indexOf('//') + 2);
  const end = rest.search(/[/?#]/);
  return (end < 0 ? rest : rest.slice(0, end)).includes('@');
}

/**
 * Whether a redirect URI may be registered (dynamic registration, the admin CLI and metadata
 * documents all ask this): HTTPS anywhere, plain HTTP only on a loopback host, absolute, without
 * fragment or userinfo, in plain printable ASCII without backslashes (OAuth 2.1 and RFC 8252).
 */
export function isAcceptableRedirectUri(value: string): boolean {
  if (value.length > 2000 || UNSAFE_CHARACTERS.test(value) || hasUserinfo(value)) return false;
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
