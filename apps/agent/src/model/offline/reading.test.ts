import { lastOccurrence, longDate, nextOccurrence, weekdayOf } from './calendar.js';
import { clausesOf } from './clauses.js';
import { lex } from './lexer.js';
import { withNumberWords } from './numbers.js';

const numbers = (text: string) =>
  withNumberWords(lex(text))
    .filter((t) => t.kind === 'num')
    .map((t) => t.norm);

describe('numbers in words', () => {
  it.each([
    ['seventeen', ['17']],
    ['twenty-three', ['23']],
    ['twenty three', ['23']],
    ['one hundred and five', ['105']],
    ['two thousand three hundred and forty-five', ['2345']],
    ['a hundred', ['100']],
    ['a million', ['1000000']],
    ['1.5 million', ['1500000']],
    ['3 thousand', ['3000']],
    ['three point one four', ['3.14']],
    ['zero', ['0']],
    ['nineteen hundred', ['1900']],
  ])('%j is %j', (text, expected) => {
    expect(numbers(text)).toEqual(expected);
  });

  it('keeps a list a list and "one" a pronoun where it is one', () => {
    expect(numbers('one two three')).toEqual(['1', '2', '3']);
    expect(numbers('ten two')).toEqual(['10', '2']);
    expect(numbers('twenty thirty')).toEqual(['20', '30']);
    expect(numbers('add two and three')).toEqual(['2', '3']);
    expect(numbers('and the previous one?')).toEqual([]);
    expect(numbers('that one')).toEqual([]);
    expect(numbers('a cat')).toEqual([]);
  });
});

describe('the tokenizer', () => {
  it('reads thousands separators, decimals and ordinals as numbers', () => {
    const tokens = lex('1,234,567.5 and 3, 5 or .5, 4th');
    expect(tokens.filter((t) => t.kind === 'num').map((t) => [t.norm, t.ordinal ?? false])).toEqual([
      ['1234567.5', false],
      ['3', false],
      ['5', false],
      ['.5', false],
      ['4', true],
    ]);
  });

  it('reads dates with separators as dates, and a pair of numbers as arithmetic', () => {
    expect(lex('2026-12-25 28/11/2026 4.7.1976').map((t) => t.kind)).toEqual(['date', 'date', 'date']);
    expect(lex('11-28').map((t) => t.kind)).toEqual(['num', 'sym', 'num']);
  });

  it('keeps apostrophes and hyphens inside words, and makes typographic symbols plain', () => {
    expect(lex('what’s twenty-three × 2 − 1').map((t) => t.norm)).toEqual([
      "what's",
      'twenty-three',
      '*',
      '2',
      '-',
      '1',
    ]);
  });
});

describe('clauses', () => {
  const texts = (text: string) => clausesOf(text).map((c) => c.text);
  it.each([
    ['(3+4)*5 and then divide by 7', ['(3+4)*5', 'divide by 7']],
    ['add 2 and 3, then multiply by 4', ['add 2 and 3', 'multiply by 4']],
    ['what is 2 + 2 and what time is it?', ['what is 2 + 2', 'what time is it']],
    ['average of 3, 5 and 10', ['average of 3, 5 and 10']],
    ['hi, what is 2+2? And 3*3.', ['hi', 'what is 2+2', 'And 3*3']],
  ])('%j', (text, expected) => {
    expect(texts(text)).toEqual(expected);
  });
});

describe('the calendar', () => {
  it('names weekdays over the whole proleptic calendar', () => {
    expect(weekdayOf('1976-07-04')).toBe('Sunday');
    expect(weekdayOf('2000-02-29')).toBe('Tuesday');
    expect(weekdayOf('0044-03-15')).toBe('Tuesday');
    expect(longDate('2026-12-05')).toBe('Saturday, December 5, 2026');
  });

  it('finds the next occurrence of a day of the year, today included, leap days in leap years', () => {
    const today = { year: 2026, month: 12, day: 2 };
    expect(nextOccurrence(today, 12, 25)).toBe('2026-12-25');
    expect(nextOccurrence(today, 12, 2)).toBe('2026-12-02');
    expect(nextOccurrence(today, 7, 4)).toBe('2027-07-04');
    expect(nextOccurrence(today, 2, 29)).toBe('2028-02-29');
    expect(lastOccurrence(today, 1, 1)).toBe('2026-01-01');
    expect(lastOccurrence(today, 12, 25)).toBe('2025-12-25');
    expect(lastOccurrence(today, 2, 29)).toBe('2024-02-29');
  });
});
