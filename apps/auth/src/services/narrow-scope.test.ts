import { formatScope, parseScope } from '@mcp-langgraph/protocol';
import { narrowScope } from './narrow-scope.js';

describe('scopes', () => {
  it('keeps known scopes, drops OpenID habits and reports unknown names', () => {
    expect(parseScope('mcp:tools openid offline_access mcp:tools admin')).toEqual({
      scopes: ['mcp:tools', 'admin'],
      unknown: [],
    });
    expect(parseScope('mcp:tools root').unknown).toEqual(['root']);
    expect(formatScope(['conversations:write', 'mcp:tools'])).toBe('mcp:tools conversations:write');
  });
});

describe('narrowScope', () => {
  const granted = ['conversations:read', 'mcp:tools', 'admin'];
  const narrow = (requested: string | undefined, options = { allowEmpty: false }) =>
    narrowScope(requested, granted, options);

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['only OpenID names', 'openid profile email offline_access'],
  ])('%s: a request for nothing gets all of granted, in canonical order', (_name, requested) => {
    expect(narrow(requested)).toEqual({ ok: true, scopes: ['mcp:tools', 'conversations:read', 'admin'] });
  });

  it('a request for nothing gets the defaults within granted when defaults are given', () => {
    expect(
      narrowScope(undefined, granted, {
        allowEmpty: false,
        defaults: ['mcp:tools', 'conversations:read', 'conversations:write'],
      }),
    ).toEqual({ ok: true, scopes: ['mcp:tools', 'conversations:read'] });
  });

  it('narrows to what was asked, ignoring OpenID names and repeats', () => {
    expect(narrow('admin openid mcp:tools admin')).toEqual({ ok: true, scopes: ['mcp:tools', 'admin'] });
  });

  it('refuses a name the platform does not know, even beside good ones', () => {
    expect(narrow('mcp:tools root')).toEqual({ ok: false, refusal: 'unknown' });
  });

  it('refuses to widen: a known name outside granted', () => {
    expect(narrow('mcp:tools conversations:write')).toEqual({ ok: false, refusal: 'outside' });
  });

  it('an unknown name is reported before one outside granted', () => {
    expect(narrow('conversations:write root')).toEqual({ ok: false, refusal: 'unknown' });
  });

  it('an empty answer is refused unless allowed', () => {
    expect(narrowScope(undefined, [], { allowEmpty: false })).toEqual({ ok: false, refusal: 'empty' });
    expect(narrowScope('openid', [], { allowEmpty: true })).toEqual({ ok: true, scopes: [] });
    const noDefaults = { allowEmpty: false, defaults: ['conversations:write'] };
    expect(narrowScope(undefined, granted, noDefaults)).toEqual({ ok: false, refusal: 'empty' });
  });

  it('drops names granted earlier that the platform no longer knows', () => {
    expect(narrowScope(undefined, ['mcp:tools', 'retired:scope'], { allowEmpty: false })).toEqual({
      ok: true,
      scopes: ['mcp:tools'],
    });
  });
});
