import { parseScope, SCOPES, type Scope } from '@mcp-langgraph/protocol';

export interface NarrowScopeOptions {
  /** Whether an empty result is a valid answer (a token with no scope) rather than `invalid_scope`. */
  allowEmpty: boolean;
  /** What a request that names no scope gets, within `granted`; all of `granted` when left out. */
  defaults?: readonly string[];
}

/** Why a scope request was refused; every one is answered `invalid_scope`. */
export type ScopeRefusal = 'unknown' | 'outside' | 'empty';

export type NarrowedScope = { ok: true; scopes: Scope[] } | { ok: false; refusal: ScopeRefusal };

/**
 * The one scope rule of every grant and of the authorization request: what a client may have when
 * it asks for `requested` and `granted` is the most it may get (the client's scopes, the scope of
 * the refresh token or of the subject token).
 *
 * - No scope, an empty one, or only OpenID names (`openid`, `profile`, `email`, `offline_access`,
 *   which clients send out of habit) is no request: the answer is `defaults` within `granted`.
 * - A name this platform does not know refuses the request (`unknown`).
 * - A name outside `granted` refuses it (`outside`): a request may narrow, never widen.
 * - An empty answer is refused (`empty`) unless `allowEmpty`.
 *
 * Scopes come back in canonical order, so equal sets print equally.
 */
export function narrowScope(
  requested: string | undefined,
  granted: readonly string[],
  options: NarrowScopeOptions,
): NarrowedScope {
  const parsed = parseScope(requested);
  if (parsed.unknown.length > 0) return { ok: false, refusal: 'unknown' };
  if (parsed.scopes.some((s) => !granted.includes(s))) return { ok: false, refusal: 'outside' };
  const wanted: readonly string[] =
    parsed.scopes.length > 0
      ? parsed.scopes
      : (options.defaults ?? granted).filter((s) => granted.includes(s));
  const scopes = SCOPES.filter((s) => wanted.includes(s));
  if (scopes.length === 0 && !options.allowEmpty) return { ok: false, refusal: 'empty' };
  return { ok: true, scopes };
}
