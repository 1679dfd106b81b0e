import type { RunnableConfig } from '@langchain/core/runnables';
import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import {
  addDays,
  canonicalTimeZone,
  DateError,
  dateIn,
  formatDate,
  isTimeZone,
  parseDate,
  weekdayOf,
} from './dates.js';

export { isTimeZone };

export const CLOCK_TOOL = 'clock';

/** Furthest `add_days` may move a date: a hundred years either way. */
export const MAX_DAYS = 36_500;

export const clockSchema = z.object({
  operation: z
    .enum(['now', 'add_days', 'days_until', 'weekday'])
    .optional()
    .describe(
      'now (default): the current date and time; add_days: the date `days` after `date` (default today); ' +
        'days_until: calendar days from today to `date` (negative when it has passed); weekday: the day of the week of `date`',
    ),
  days: z
    .number()
    .int()
    .min(-MAX_DAYS)
    .max(MAX_DAYS)
    .optional()
    .describe('for add_days: how many calendar days to add (negative to go back)'),
  date: z
    .string()
    .max(10)
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .describe(
      'a date as YYYY-MM-DD: the target of days_until and weekday, the start of add_days (default today)',
    ),
  timezone: z
    .string()
    .max(64)
    .optional()
    .describe('IANA time zone in which \'today\' and the time are read, for example "America/New_York"'),
});

export type ClockInput = z.infer<typeof clockSchema>;

export interface ClockReading {
  iso: string;
  human: string;
  timezone: string;
}

/** The current time as an ISO instant and as a sentence-ready string in `timezone`. */
export function readClock(now: Date, timezone = 'UTC'): ClockReading {
  const zone = canonicalTimeZone(timezone);
  const human = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    dateStyle: 'full',
    timeStyle: 'long',
  }).format(now);
  return { iso: now.toISOString(), human, timezone: zone };
}

/**
 * The time zone a call reads "today" in: the model's argument, else the one the caller sent with
 * the run (`context.timezone`, or `configurable.timezone` for clients that only set that), else UTC.
 */
export function timeZoneOf(input: ClockInput, config?: RunnableConfig): string {
  const fromRun = (source: unknown) => {
    const zone = (source as { timezone?: unknown } | undefined)?.timezone;
    return typeof zone === 'string' && zone !== '' ? zone : undefined;
  };
  const given =
    input.timezone ??
    fromRun((config as { context?: unknown } | undefined)?.context) ??
    fromRun(config?.configurable) ??
    'UTC';
  return canonicalTimeZone(given);
}

/** What one clock call answers, as the JSON object the tool returns. */
export function runClock(input: ClockInput, now: Date, timezone: string): Record<string, unknown> {
  const operation = input.operation ?? 'now';
  const needDate = () => {
    if (input.date === undefined) throw new DateError(`${operation} needs a date (YYYY-MM-DD)`);
    return parseDate(input.date);
  };
  if (operation === 'weekday') {
    const day = needDate();
    return { operation, date: formatDate(day), weekday: weekdayOf(day) };
  }
  const today = dateIn(now, timezone);
  if (operation === 'add_days') {
    if (input.days === undefined)
      throw new DateError(`add_days needs days (an integer from -${MAX_DAYS} to ${MAX_DAYS})`);
    const from = input.date === undefined ? today : parseDate(input.date);
    const date = addDays(from, input.days);
    return {
      operation,
      from: formatDate(from),
      days: input.days,
      date: formatDate(date),
      weekday: weekdayOf(date),
      timezone,
    };
  }
  if (operation === 'days_until') {
    const date = needDate();
    return {
      operation,
      from: formatDate(today),
      date: formatDate(date),
      days: date - today,
      weekday: weekdayOf(date),
      timezone,
    };
  }
  return { operation, ...readClock(now, timezone), date: formatDate(today), weekday: weekdayOf(today) };
}

/**
 * The current date and time, and calendar arithmetic on dates; `now` is injectable so tests can
 * pin the clock. Errors (an impossible date, an unknown zone, a missing argument) are thrown with a
 * message the tool node hands back to the model.
 */
export function createClockTool(now: () => Date = () => new Date()) {
  return tool(
    (input: ClockInput, config?: RunnableConfig) =>
      JSON.stringify(runClock(input, now(), timeZoneOf(input, config))),
    {
      name: CLOCK_TOOL,
      description:
        'Dates and times. operation "now" (default) returns {operation, iso, human, timezone, date, weekday}; ' +
        '"add_days" returns the date `days` calendar days after `date` (default today); "days_until" returns ' +
        'the calendar days from today to `date`; "weekday" returns the day of the week of `date`. ' +
        "Dates are YYYY-MM-DD. 'Today' is read in `timezone` (an IANA name), else the user's zone, else UTC.",
      schema: clockSchema,
    },
  );
}
