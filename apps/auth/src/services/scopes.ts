/** Every scope this server grants. */
export const SCOPES = ['mcp:tools', 'conversations:read', 'conversations:write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** Granted when an authorization request names no scope, and the default for new users and clients. */
export const DEFAULT_SCOPES: readonly Scope[] = ['mcp:tools', 'conversations:read', 'conversations:write'];

// Clients commonly add OpenID scopes out of habit; refresh tokens come without asking, so these are
// dropped rather than failing the whole request.
const IGNORED = new Set(['openid', 'profile', 'email', 'offline_access']);

const KNOWN = new Set<string>(SCOPES);

/** Splits a scope parameter; `unknown` lists names this server does not know (an `invalid_scope`). */
export function parseScope(value: string | undefined): { scopes: string[]; unknown: string[] } {
  const names = (value ?? '').split(' ').filter(Boolean);
  const scopes: string[] = [];
  const unknown: string[] = [];
  for (const n of names) {
    if (IGNORED.has(n)) continue;
    if (KNOWN.has(n)) {
      if (!scopes.includes(n)) scopes.push(n);
    } else unknown.push(n);
  }
  return { scopes, unknown };
}

/** Keeps the canonical order so equal sets print equally. */
export function formatScope(scopes: Iterable<string>): string {
  const set = new Set(scopes);
  return SCOPES.filter((s) => set.has(s)).join(' ');
}

export function isSubset(inner: readonly string[], outer: readonly string[]): boolean {
  return inner.every((s) => outer.includes(s));
}
