/**
 * Calendar words and formats the offline model reads and writes: month names, ISO dates
 * (YYYY-MM-DD, what the clock tool takes) and dates in words ("Saturday, December 5, 2026").
 * Pure functions; "today" only ever comes from the clock tool.
 */

import { MONTHS } from '../../tools/dates.js';

export { MONTHS };

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

const MONTH_WORDS = new Map<string, number>();
MONTHS.forEach((name, i) => {
  MONTH_WORDS.set(name.toLowerCase(), i + 1);
  MONTH_WORDS.set(name.slice(0, 3).toLowerCase(), i + 1);
});
MONTH_WORDS.set('sept', 9);

/** 1..12 for a month's name or its abbreviation ("jul", "sept"); undefined otherwise. */
export function monthNumber(word: string): number | undefined {
  return MONTH_WORDS.get(word.replace(/\.$/, ''));
}

export function isWeekdayName(word: string): boolean {
  return WEEKDAYS.some((d) => d.toLowerCase() === word || `${d.toLowerCase()}s` === word);
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** YYYY-MM-DD. The day is not checked: the clock tool says so when a date does not exist. */
export function isoDate(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

export interface YMD {
  year: number;
  month: number;
  day: number;
}

/** The parts of "2026-12-25", or undefined when it is not of that form. */
export function parseIso(text: string): YMD | undefined {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (!m) return undefined;
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/** The first day on or after `today` that falls on `month`/`day` ("the next Christmas"). */
export function nextOccurrence(today: YMD, month: number, day: number): string {
  let year = today.year;
  if (month < today.month || (month === today.month && day < today.day)) year++;
  // February 29 comes every four years (mostly): the next year that has it.
  for (let i = 0; i < 8 && day > daysInMonth(year, month); i++) year++;
  return isoDate(year, month, day);
}

/** The last day on or before `today` that falls on `month`/`day` ("since New Year"). */
export function lastOccurrence(today: YMD, month: number, day: number): string {
  let year = today.year;
  if (month > today.month || (month === today.month && day > today.day)) year--;
  for (let i = 0; i < 8 && day > daysInMonth(year, month); i++) year--;
  return isoDate(year, month, day);
}

/** The weekday of an ISO date (proleptic Gregorian), for answers whose tool result lacks it. */
export function weekdayOf(iso: string): string | undefined {
  const d = parseIso(iso);
  if (!d) return undefined;
  const date = new Date(Date.UTC(2000, d.month - 1, d.day));
  date.setUTCFullYear(d.year);
  return WEEKDAYS[date.getUTCDay()];
}

/** "December 5, 2026" for "2026-12-05" (the text itself when it is not an ISO date). */
export function plainDate(iso: string): string {
  const d = parseIso(iso);
  if (!d || d.month < 1 || d.month > 12) return iso;
  return `${MONTHS[d.month - 1]} ${d.day}, ${d.year}`;
}

/** "Saturday, December 5, 2026". */
export function longDate(iso: string, weekday?: string): string {
  const day = weekday ?? weekdayOf(iso);
  return day ? `${day}, ${plainDate(iso)}` : plainDate(iso);
}
