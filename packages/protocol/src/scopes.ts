/**
 * The platform's OAuth scopes: what each one grants, in the words the consent page shows.
 * The order is canonical: scope strings are always written in it, so equal sets print equally.
 */
export const SCOPE_DESCRIPTIONS = {
  'mcp:tools': 'use the MCP tools on your behalf',
  'conversations:read': 'read your conversations',
  'conversations:write': 'create and continue conversations',
  admin: 'administer the platform',
} as const;

export type Scope = keyof typeof SCOPE_DESCRIPTIONS;

/** Every scope the authorization server grants, in canonical order. */
export const SCOPES = Object.keys(SCOPE_DESCRIPTIONS) as readonly Scope[];

/** Named constants, so code never spells a scope by hand. */
export const SCOPE = {
  tools: 'mcp:tools',
  conversationsRead: 'conversations:read',
  conversationsWrite: 'conversations:write',
  admin: 'admin',
} as const satisfies Record<string, Scope>;

/**
 * Granted when a request names no scope, the default for new users and clients, and what the MCP
 * edge advertises (`scopes_supported`, 401 challenges): everything but `admin`.
 */
export const DEFAULT_SCOPES: readonly Scope[] = [
  SCOPE.tools,
  SCOPE.conversationsRead,
  SCOPE.conversationsWrite,
];

// Clients commonly add OpenID scopes out of habit; refresh tokens come without asking, so these are
// dropped rather than failing the whole request.
const IGNORED = new Set(['openid', 'profile', 'email', 'offline_access']);

const KNOWN = new Set<string>(SCOPES);

export function isScope(name: string): name is Scope {
  return KNOWN.has(name);
}

/** Splits a scope parameter; `unknown` lists names this platform does not know (an `invalid_scope`). */
export function parseScope(value: string | undefined): { scopes: Scope[]; unknown: string[] } {
  const scopes: Scope[] = [];
  const unknown: string[] = [];
  for (const n of (value ?? '').split(' ')) {
    if (!n || IGNORED.has(n)) continue;
    if (isScope(n)) {
      if (!scopes.includes(n)) scopes.push(n);
    } else unknown.push(n);
  }
  return { scopes, unknown };
}

/** The scope string for a set of scopes, in canonical order; names this platform does not know are dropped. */
export function formatScope(scopes: Iterable<string>): string {
  const set = new Set(scopes);
  return SCOPES.filter((s) => set.has(s)).join(' ');
}

/** The names in a scope string (as a token carries it). */
export function scopeNames(value: string | undefined): string[] {
  return (value ?? '').split(' ').filter(Boolean);
}

export function isSubset(inner: readonly string[], outer: readonly string[]): boolean {
  return inner.every((s) => outer.includes(s));
}
