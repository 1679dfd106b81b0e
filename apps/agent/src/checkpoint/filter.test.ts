import { contains } from './saver.js';

describe('the metadata filter of list', () => {
  it('matches as JSON containment, like the PostgreSQL saver', () => {
    const metadata = {
      source: 'loop',
      step: 3,
      run_id: 'r1',
      tags: ['a', 'b'],
      user: { id: 'u', org: { id: 'o' } },
    };
    expect(contains(metadata, {})).toBe(true);
    expect(contains(metadata, { source: 'loop', step: 3 })).toBe(true);
    expect(contains(metadata, { user: { org: { id: 'o' } } })).toBe(true);
    expect(contains(metadata, { tags: ['b'] })).toBe(true);
    expect(contains(metadata, { source: 'input' })).toBe(false);
    expect(contains(metadata, { step: '3' })).toBe(false);
    expect(contains(metadata, { missing: null })).toBe(false);
    expect(contains(metadata, { tags: ['c'] })).toBe(false);
    expect(contains(metadata, { user: { org: { id: 'x' } } })).toBe(false);
    expect(contains(metadata, { user: 'u' })).toBe(false);
  });

  it('walks a filter nested thousands of levels deep without exhausting the stack', () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 20_000; i++) deep = { d: deep };
    expect(contains(deep, deep)).toBe(true);
  });
});
