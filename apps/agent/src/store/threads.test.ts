import { TITLE_LENGTH, titleFrom } from './threads.js';

describe('titleFrom', () => {
  it('puts the first message on one line', () => {
    expect(titleFrom('  What is\n17 *\t23?  ')).toBe('What is 17 * 23?');
  });

  it('turns control characters, NUL included, into spaces', () => {
    expect(titleFrom('a\u0000b\u0007c\u007fd\u0085e')).toBe('a b c d e');
  });

  it('cuts a long message at a word boundary and marks the cut', () => {
    const title = titleFrom(`${'word '.repeat(40)}end`);
    expect(title.length).toBeLessThanOrEqual(TITLE_LENGTH);
    expect(title).toMatch(/word…$/);
  });
});
