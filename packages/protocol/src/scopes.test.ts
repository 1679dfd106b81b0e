import { DEFAULT_SCOPES, formatScope, parseScope, SCOPE_DESCRIPTIONS, SCOPES } from './scopes.js';

describe('scopes', () => {
  it('describes every scope, and the defaults leave out admin', () => {
    for (const s of SCOPES) expect(SCOPE_DESCRIPTIONS[s].length).toBeGreaterThan(0);
    expect(DEFAULT_SCOPES).not.toContain('admin');
    expect(SCOPES).toEqual(expect.arrayContaining([...DEFAULT_SCOPES, 'admin']));
  });

  it('parses known names once, drops OpenID habits, and reports the unknown', () => {
    expect(parseScope('conversations:read openid mcp:tools mcp:tools  bogus')).toEqual({
      scopes: ['conversations:read', 'mcp:tools'],
      unknown: ['bogus'],
    });
    expect(parseScope(undefined)).toEqual({ scopes: [], unknown: [] });
  });

  it('formats in canonical order and drops what it does not know', () => {
    expect(formatScope(['conversations:write', 'mcp:tools', 'nope'])).toBe('mcp:tools conversations:write');
  });
});
