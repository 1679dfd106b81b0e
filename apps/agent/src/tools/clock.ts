import { tool } from '@langchain/core/tools';
import { z } from 'zod';

export const CLOCK_TOOL = 'clock';

/** True when `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export interface ClockReading {
  iso: string;
  human: string;
  timezone: string;
}

/** The current time as an ISO instant and as a sentence-ready string in `timezone`. */
export function readClock(now: Date, timezone = 'UTC'): ClockReading {
  if (!isTimeZone(timezone)) throw new Error(`"${timezone}" is not a known IANA time zone`);
  const human = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    dateStyle: 'full',
    timeStyle: 'long',
  }).format(now);
  return { iso: now.toISOString(), human, timezone };
}

/** Current date and time; `now` is injectable so tests can pin the clock. */
export function createClockTool(now: () => Date = () => new Date()) {
  return tool(({ timezone }) => JSON.stringify(readClock(now(), timezone ?? 'UTC')), {
    name: CLOCK_TOOL,
    description:
      'Returns the current date and time as JSON {iso, human, timezone}. ' +
      'Pass an IANA time zone such as "Europe/Paris" to get the local time there; the default is UTC.',
    schema: z.object({
      timezone: z.string().max(64).optional().describe('IANA time zone name, for example "America/New_York"'),
    }),
  });
}
