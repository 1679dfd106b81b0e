import { daysInMonth, isoDate, isWeekdayName, monthNumber } from './calendar.js';
import type { Clause } from './clauses.js';
import { isSym, isWord, type Token } from './lexer.js';
import { findTimeZone } from './timezones.js';

/**
 * Date and time questions, read into what to ask the clock: the time now, a date some days away,
 * the days until a date, or the weekday of a date. Dates written without a year ("until Christmas",
 * "what day is December 25") mean their next occurrence, which needs today from the clock first.
 */

/** A date the user named: a full date, or a day of the year ("Christmas") whose year is the next. */
export type DateTarget = { iso: string; name?: string } | { month: number; day: number; name?: string };

export type DateRequest =
  | { kind: 'now'; asks: 'time' | 'date'; timezone?: string }
  | {
      kind: 'offset';
      days: number;
      /** How the user counted: "3 days", "2 weeks", "tomorrow". */
      said:
        | { amount: number; unit: 'day' | 'week' }
        | 'tomorrow'
        | 'yesterday'
        | 'day after tomorrow'
        | 'day before yesterday';
      base?: DateTarget;
      timezone?: string;
    }
  | { kind: 'until'; target: DateTarget; since: boolean; inWeeks?: boolean; timezone?: string }
  /** The days from one date to another: each one's distance from today, subtracted. */
  | { kind: 'between'; first: DateTarget; second: DateTarget; timezone?: string }
  | { kind: 'weekday'; target: DateTarget; past: boolean; timezone?: string }
  /** Something date-like that cannot be answered as asked: the text says why. */
  | { kind: 'problem'; text: string };

/** The clock takes at most a hundred years either way. */
const MAX_DAYS = 36_500;

const TIME_QUESTION =
  /\b(?:what\s+time|time\s+is\s+it|current\s+(?:time|date|day)|time\s+now|local\s+time|what(?:'s|’s|\s+is)\s+(?:the\s+|today'?s\s+)?(?:time|date|day)|today'?s\s+date|what\s+day\s+is|date\s+today|which\s+day\s+is|what\s+date|what(?:'s|’s|\s+is)\s+today|what\s+(?:year|month)\s+is\s+it|(?:what|which)\s+day\s+of\s+the\s+week)\b/i;

/** True when the user asks for the current time or date. */
export function asksForTime(text: string): boolean {
  return TIME_QUESTION.test(text);
}

/** True when the user asks for the date rather than the time of day. */
export function asksForDate(text: string): boolean {
  return /\b(?:date|day|today|year|month)\b/i.test(text) && !/\btime\b/i.test(text);
}

const HOLIDAYS: ReadonlyArray<{ words: readonly string[]; month: number; day: number; name: string }> = [
  { words: ['christmas', 'eve'], month: 12, day: 24, name: 'Christmas Eve' },
  { words: ['christmas'], month: 12, day: 25, name: 'Christmas' },
  { words: ['xmas'], month: 12, day: 25, name: 'Christmas' },
  { words: ['new', "year's", 'eve'], month: 12, day: 31, name: 'New Year’s Eve' },
  { words: ['new', 'years', 'eve'], month: 12, day: 31, name: 'New Year’s Eve' },
  { words: ['new', "year's"], month: 1, day: 1, name: 'New Year’s Day' },
  { words: ['new', 'years'], month: 1, day: 1, name: 'New Year’s Day' },
  { words: ['new', 'year'], month: 1, day: 1, name: 'New Year’s Day' },
  { words: ['halloween'], month: 10, day: 31, name: 'Halloween' },
  { words: ["valentine's"], month: 2, day: 14, name: 'Valentine’s Day' },
  { words: ['valentines'], month: 2, day: 14, name: 'Valentine’s Day' },
  { words: ['end', 'of', 'the', 'year'], month: 12, day: 31, name: 'the end of the year' },
  { words: ['end', 'of', 'year'], month: 12, day: 31, name: 'the end of the year' },
  { words: ['left', 'in', 'the', 'year'], month: 12, day: 31, name: 'the end of the year' },
];

const dayNumber = (t: Token | undefined) =>
  t?.kind === 'num' && /^\d{1,2}$/.test(t.norm) && Number(t.norm) >= 1 && Number(t.norm) <= 31
    ? Number(t.norm)
    : undefined;
const yearNumber = (t: Token | undefined) =>
  t?.kind === 'num' && !t.ordinal && /^\d{4}$/.test(t.norm) ? Number(t.norm) : undefined;

type Found = { target: DateTarget; next: number } | { problem: string; next: number };

/** A date written with separators: ISO, or day and month in either order when that is unambiguous. */
function writtenDate(token: Token): Found | undefined {
  const parts = token.norm.split(/[-/.]/).map(Number);
  const sep = token.norm[token.norm.search(/[-/.]/)];
  const [a, b, c] = parts as [number, number, number];
  if (token.norm.length >= 8 && /^\d{4}-/.test(token.norm))
    return { target: { iso: isoDate(a, b, c) }, next: 0 };
  const year = c < 100 ? 2000 + c : c;
  if (sep === '.' || a > 12) return { target: { iso: isoDate(year, b, a) }, next: 0 };
  if (b > 12 || a === b) return { target: { iso: isoDate(year, a, b) }, next: 0 };
  return {
    problem: `I cannot tell whether ${token.text} means ${monthDay(a, b)} or ${monthDay(b, a)}: please write the date as YYYY-MM-DD (for example ${isoDate(year, a, b)}).`,
    next: 0,
  };
}

const monthDay = (month: number, day: number) =>
  `${['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][month - 1]} ${day}`;

/** A date at `k`: written with separators, with a month's name, or a holiday; with or without a year. */
function dateAt(tokens: readonly Token[], k: number): Found | undefined {
  const t = tokens[k]!;
  if (t.kind === 'date') {
    const found = writtenDate(t);
    return found && { ...found, next: k + 1 };
  }
  const withYear = (month: number, day: number, at: number, name?: string): Found => {
    let j = at;
    if (isSym(tokens[j], ',')) j++;
    const year = yearNumber(tokens[j]);
    const named = name ? { name } : {};
    if (year === undefined) return { target: { month, day, ...named }, next: at };
    return { target: { iso: isoDate(year, month, day), ...named }, next: j + 1 };
  };
  // "July 4, 1976", "Dec 25th".
  const month = t.kind === 'word' ? monthNumber(t.norm) : undefined;
  if (month !== undefined && dayNumber(tokens[k + 1]) !== undefined)
    return withYear(month, dayNumber(tokens[k + 1])!, k + 2);
  // "4 July 1976", "the 4th of July".
  const day = dayNumber(t);
  if (day !== undefined) {
    const j = isWord(tokens[k + 1], 'of') ? k + 2 : k + 1;
    const m = tokens[j]?.kind === 'word' ? monthNumber(tokens[j]!.norm) : undefined;
    if (m !== undefined) return withYear(m, day, j + 1);
  }
  for (const h of HOLIDAYS)
    if (h.words.every((w, i) => isWord(tokens[k + i], w))) {
      const j = isWord(tokens[k + h.words.length], 'day') ? k + h.words.length + 1 : k + h.words.length;
      return withYear(h.month, h.day, j, h.name);
    }
  return undefined;
}

/** The first date the tokens from `from` name, if any. */
function findDate(tokens: readonly Token[], from = 0): Found | undefined {
  for (let k = from; k < tokens.length; k++) {
    const found = dateAt(tokens, k);
    if (found) return found;
  }
  return undefined;
}

const MONTHS_OR_YEARS =
  'I can count days and weeks, not months or years: ask for a number of days, for example "in 60 days".';

type Said = Extract<DateRequest, { kind: 'offset' }>['said'];
type Offset = { days: number; said: Said; base?: DateTarget } | { problem: string };

const UNITS: Readonly<Record<string, 'day' | 'week' | 'other'>> = {
  day: 'day',
  days: 'day',
  week: 'week',
  weeks: 'week',
  month: 'other',
  months: 'other',
  year: 'other',
  years: 'other',
};

/** A count of days or weeks from today or from a date: "in 3 days", "5 days ago", "tomorrow". */
function findOffset(tokens: readonly Token[]): Offset | undefined {
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    // "tomorrow's date", "yesterday's date".
    const word = t.kind === 'word' ? t.norm.replace(/'s$/, '') : '';
    if (word === 'tomorrow') {
      const after = isWord(tokens[k - 1], 'after') && isWord(tokens[k - 2], 'day');
      return after ? { days: 2, said: 'day after tomorrow' } : { days: 1, said: 'tomorrow' };
    }
    if (word === 'yesterday') {
      const before = isWord(tokens[k - 1], 'before') && isWord(tokens[k - 2], 'day');
      return before ? { days: -2, said: 'day before yesterday' } : { days: -1, said: 'yesterday' };
    }
    if (isWord(t, 'next', 'last') && isWord(tokens[k + 1], 'week', 'month', 'year')) {
      if (!isWord(tokens[k + 1], 'week')) return { problem: MONTHS_OR_YEARS };
      const sign = t.norm === 'next' ? 1 : -1;
      return { days: 7 * sign, said: { amount: 1, unit: 'week' } };
    }
    const count = t.kind === 'num' && !t.ordinal ? Number(t.norm) : isWord(t, 'a', 'an') ? 1 : undefined;
    const unit = UNITS[tokens[k + 1]?.norm ?? ''];
    if (count === undefined || !unit || !Object.hasOwn(UNITS, tokens[k + 1]!.norm)) continue;
    const next = tokens[k + 2];
    const sign =
      isWord(tokens[k - 1], 'in') || isWord(next, 'from', 'later', 'after', 'hence')
        ? 1
        : isWord(next, 'ago', 'before', 'earlier')
          ? -1
          : 0;
    if (sign === 0) continue;
    if (unit === 'other') return { problem: MONTHS_OR_YEARS };
    if (!Number.isInteger(count)) return { problem: 'I can only count whole days.' };
    const days = sign * count * (unit === 'week' ? 7 : 1);
    if (Math.abs(days) > MAX_DAYS)
      return { problem: 'I can only count up to a hundred years (36,500 days) either way.' };
    const said = { amount: count, unit };
    if (isWord(next, 'after', 'before')) {
      const base = findDate(tokens, k + 3);
      if (base && 'target' in base) return { days, said, base: base.target };
      if (base) return { problem: base.problem };
      if (!isWord(tokens[k + 3], 'today', 'now')) continue;
    }
    return { days, said };
  }
  return undefined;
}

const has = (tokens: readonly Token[], ...words: string[]) =>
  tokens.some((t) => t.kind === 'word' && words.includes(t.norm));

/** What a clause asks of the calendar, if it is a date or time question. */
export function readDateRequest(clause: Clause): DateRequest | undefined {
  const tokens = clause.tokens;
  const timezone = findTimeZone(clause.text);
  const zone = timezone ? { timezone } : {};
  // "how many days are in a week" counts, it does not ask for a date.
  const offset =
    has(tokens, 'how') && has(tokens, 'many', 'much') && !has(tokens, 'until', 'till', 'since')
      ? undefined
      : findOffset(tokens);
  if (offset && 'problem' in offset) return { kind: 'problem', text: offset.problem };
  if (offset)
    return {
      kind: 'offset',
      days: offset.days,
      said: offset.said,
      ...(offset.base ? { base: offset.base } : {}),
      ...zone,
    };
  const date = findDate(tokens);
  if (date && 'problem' in date) return { kind: 'problem', text: date.problem };
  if (date && has(tokens, 'between', 'from')) {
    const second = findDate(tokens, date.next);
    if (second && 'problem' in second) return { kind: 'problem', text: second.problem };
    if (second) return { kind: 'between', first: date.target, second: second.target, ...zone };
  }
  if (date) {
    const counting =
      has(tokens, 'until', 'till', 'til', 'since', 'before') ||
      (has(tokens, 'how') && has(tokens, 'many', 'long', 'far', 'soon'));
    const inWeeks = has(tokens, 'weeks') ? { inWeeks: true } : {};
    if (counting)
      return { kind: 'until', target: date.target, since: has(tokens, 'since'), ...inWeeks, ...zone };
    const weekday =
      has(tokens, 'weekday', 'day', 'when') || tokens.some((t) => t.kind === 'word' && isWeekdayName(t.norm));
    if (weekday)
      return { kind: 'weekday', target: date.target, past: has(tokens, 'was', 'did', 'were'), ...zone };
  }
  if (asksForTime(clause.text))
    return { kind: 'now', asks: asksForDate(clause.text) ? 'date' : 'time', ...zone };
  return undefined;
}

/** True for a target without a year, whose next occurrence depends on today. */
export function needsToday(target: DateTarget): target is { month: number; day: number; name?: string } {
  return !('iso' in target);
}

/** A day of the year that no year has ("February 30"). */
export function impossible(target: DateTarget): boolean {
  return needsToday(target) && target.day > daysInMonth(2024, target.month);
}
