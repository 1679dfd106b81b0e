/**
 * The one URL rule of the platform: a URL names the same thing with or without trailing slashes,
 * so every configured URL and every URL compared with one (`iss`, `aud`, RFC 8707 `resource`)
 * goes through `normalizeUrl` first. The host is lower-cased and a default port dropped (as the
 * WHATWG parser does); query and fragment are kept as given.
 */
export function normalizeUrl(value: string): string {
  const u = new URL(value);
  const path = u.pathname.replace(/\/+$/, '');
  return `${u.protocol}//${u.host}${path}${u.search}${u.hash}`;
}

/** Whether two URLs name the same resource under {@link normalizeUrl}; anything unparsable matches nothing. */
export function sameUrl(a: string, b: string): boolean {
  try {
    return normalizeUrl(a) === normalizeUrl(b);
  } catch {
    return false;
  }
}

/** Host names (and addresses) that mean "this machine". IPv6 appears bare and bracketed, as URLs write it. */
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase());
}
