/**
 * Calendar dates as the clock tool reads and writes them (`YYYY-MM-DD`). Arithmetic runs on day
 * numbers (days since 1970-01-01 in the proleptic Gregorian calendar), never on instants, so a
 * daylight-saving change can never move a date: "today + 1" is always the next calendar day.
 */

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WEEKDAYS = ['Thursday', 'Friday', 'Saturday', 'Sunday', 'Monday', 'Tuesday', 'Wednesday'] as const;
/** Month names in English, January first. */
export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** Dates outside years 1–9999 are refused: nobody asks about them, and four digits always suffice. */
const MIN_DAY = dayNumberOf(1, 1, 1);
const MAX_DAY = dayNumberOf(9999, 12, 31);

/** A date the clock tool cannot work with; the message says why, for the model to pass on. */
export class DateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DateError';
  }
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function dayNumberOf(year: number, month: number, day: number): number {
  // setUTCFullYear, unlike Date.UTC, does not read years 0–99 as 1900–1999.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return Math.round(d.getTime() / DAY_MS);
}

/** The day number of a `YYYY-MM-DD` date; a malformed or impossible date (`2026-02-30`) is a `DateError`. */
export function parseDate(text: string): number {
  const m = DATE.exec(text);
  if (!m) throw new DateError(`"${text.slice(0, 40)}" is not a date in the form YYYY-MM-DD`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1) throw new DateError(`"${text}" is not a valid date (years start at 0001)`);
  if (month < 1 || month > 12)
    throw new DateError(`"${text}" is not a valid date (there is no month ${m[2]})`);
  const days = daysInMonth(year, month);
  if (day < 1 || day > days)
    throw new DateError(`"${text}" is not a valid date (${MONTHS[month - 1]} ${year} has ${days} days)`);
  return dayNumberOf(year, month, day);
}

/** The `YYYY-MM-DD` form of a day number. */
export function formatDate(dayNumber: number): string {
  const d = new Date(dayNumber * DAY_MS);
  const year = String(d.getUTCFullYear()).padStart(4, '0');
  const month = String(d.getUTCMonth() + 1).padStart(2, '0');
  const day = String(d.getUTCDate()).padStart(2, '0');
  return `${year}-${month}-${day}`;
}

/** The English name of the day of the week of a day number. */
export function weekdayOf(dayNumber: number): string {
  return WEEKDAYS[((dayNumber % 7) + 7) % 7]!;
}

/** `dayNumber` moved by `days` calendar days; leaving years 1–9999 is a `DateError`. */
export function addDays(dayNumber: number, days: number): number {
  const result = dayNumber + days;
  if (result < MIN_DAY || result > MAX_DAY)
    throw new DateError(
      `${formatDate(dayNumber)} ${days < 0 ? '-' : '+'} ${Math.abs(days)} days is outside years 1–9999`,
    );
  return result;
}

/** True when `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The canonical spelling of a known time zone (`asia/tokyo` → `Asia/Tokyo`); a `DateError` otherwise. */
export function canonicalTimeZone(zone: string): string {
  if (!isTimeZone(zone)) throw new DateError(`"${zone.slice(0, 64)}" is not a known IANA time zone`);
  return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
}

/** The day number of the calendar date it is at `instant` in `timezone`. */
export function dateIn(instant: Date, timezone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return dayNumberOf(part('year'), part('month'), part('day'));
}
