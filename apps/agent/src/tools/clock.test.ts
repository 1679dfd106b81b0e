import { createClockTool, readClock } from './clock.js';

const at = (iso: string) => () => new Date(iso);
const call = async (clock: ReturnType<typeof createClockTool>, input: object, config?: object) =>
  JSON.parse(await clock.invoke(input as never, config as never));

describe('clock: now', () => {
  const clock = createClockTool(at('2026-12-02T12:34:56.000Z'));

  it('reports the instant, the date and the weekday, in UTC by default', async () => {
    const reading = await call(clock, {});
    expect(reading).toEqual({
      operation: 'now',
      iso: '2026-12-02T12:34:56.000Z',
      human: expect.stringContaining('December 2, 2026'),
      timezone: 'UTC',
      date: '2026-12-02',
      weekday: 'Wednesday',
    });
    expect(reading.human).toContain('12:34:56');
  });

  it('reads the date in the named zone, where it may already be tomorrow', async () => {
    const late = createClockTool(at('2026-12-02T23:30:00.000Z'));
    const reading = await call(late, { operation: 'now', timezone: 'Asia/Tokyo' });
    expect(reading).toMatchObject({ timezone: 'Asia/Tokyo', date: '2026-12-03', weekday: 'Thursday' });
    expect(reading.human).toContain('8:30:00 AM');
  });

  it('spells a zone the canonical way', async () => {
    expect((await call(clock, { timezone: 'europe/paris' })).timezone).toBe('Europe/Paris');
  });

  it('refuses unknown time zones with a message naming them', async () => {
    await expect(clock.invoke({ timezone: 'Mars/Olympus_Mons' })).rejects.toThrow(
      '"Mars/Olympus_Mons" is not a known IANA time zone',
    );
    expect(() => readClock(new Date(), 'Nowhere/Land')).toThrow('Nowhere/Land');
  });
});

describe("clock: the caller's time zone", () => {
  // 02:00 UTC on 3 December is still 2 December in New York.
  const clock = createClockTool(at('2026-12-03T02:00:00.000Z'));

  it('uses the run context when the model names no zone', async () => {
    const reading = await call(clock, {}, { context: { timezone: 'America/New_York' } });
    expect(reading).toMatchObject({ timezone: 'America/New_York', date: '2026-12-02' });
  });

  it('uses configurable.timezone when the context has none', async () => {
    const reading = await call(
      clock,
      { operation: 'add_days', days: 1 },
      { configurable: { timezone: 'America/New_York' } },
    );
    expect(reading).toMatchObject({ from: '2026-12-02', date: '2026-12-03', timezone: 'America/New_York' });
  });

  it("prefers the model's argument, and falls back to UTC", async () => {
    const config = { context: { timezone: 'America/New_York' } };
    expect((await call(clock, { timezone: 'Asia/Tokyo' }, config)).date).toBe('2026-12-03');
    expect((await call(clock, {}, { context: {} })).timezone).toBe('UTC');
  });

  it('refuses an unknown zone sent with the run', async () => {
    await expect(clock.invoke({}, { context: { timezone: 'Atlantis/Capital' } } as never)).rejects.toThrow(
      '"Atlantis/Capital" is not a known IANA time zone',
    );
  });
});

describe('clock: add_days', () => {
  const clock = createClockTool(at('2026-12-02T12:00:00.000Z'));

  it('counts calendar days from today', async () => {
    expect(await call(clock, { operation: 'add_days', days: 3 })).toEqual({
      operation: 'add_days',
      from: '2026-12-02',
      days: 3,
      date: '2026-12-05',
      weekday: 'Saturday',
      timezone: 'UTC',
    });
  });

  it('counts from a given date, backwards too, across months, years and leap days', async () => {
    expect(await call(clock, { operation: 'add_days', date: '2028-02-28', days: 1 })).toMatchObject({
      date: '2028-02-29',
      weekday: 'Tuesday',
    });
    expect((await call(clock, { operation: 'add_days', date: '2027-02-28', days: 1 })).date).toBe(
      '2027-03-01',
    );
    expect((await call(clock, { operation: 'add_days', date: '2026-01-01', days: -1 })).date).toBe(
      '2025-12-31',
    );
    expect((await call(clock, { operation: 'add_days', date: '2026-12-02', days: 36500 })).date).toBe(
      '2126-11-08',
    );
  });

  it('moves by whole dates across a daylight-saving change', async () => {
    // 01:30 in New York on the night clocks go forward: tomorrow is 9 March, not 9 March at 01:30 + 24 h.
    const spring = createClockTool(at('2026-03-08T06:30:00.000Z'));
    const config = { context: { timezone: 'America/New_York' } };
    expect(await call(spring, { operation: 'add_days', days: 1 }, config)).toMatchObject({
      from: '2026-03-08',
      date: '2026-03-09',
      weekday: 'Monday',
    });
    // 23:30 in Paris on the day clocks go back (a 25-hour day).
    const autumn = createClockTool(at('2026-10-25T22:30:00.000Z'));
    expect(await call(autumn, { operation: 'add_days', days: 1, timezone: 'Europe/Paris' })).toMatchObject({
      from: '2026-10-25',
      date: '2026-10-26',
    });
  });

  it('needs days, and refuses more than a hundred years', async () => {
    await expect(clock.invoke({ operation: 'add_days' })).rejects.toThrow('add_days needs days');
    await expect(clock.invoke({ operation: 'add_days', days: 36501 })).rejects.toThrow();
    await expect(clock.invoke({ operation: 'add_days', days: 1.5 })).rejects.toThrow();
  });
});

describe('clock: days_until', () => {
  const clock = createClockTool(at('2026-12-02T12:00:00.000Z'));

  it('counts the calendar days to a date', async () => {
    expect(await call(clock, { operation: 'days_until', date: '2026-12-25' })).toEqual({
      operation: 'days_until',
      from: '2026-12-02',
      date: '2026-12-25',
      days: 23,
      weekday: 'Friday',
      timezone: 'UTC',
    });
  });

  it('is negative for a date that has passed, and zero for today', async () => {
    expect((await call(clock, { operation: 'days_until', date: '2026-11-30' })).days).toBe(-2);
    expect((await call(clock, { operation: 'days_until', date: '2026-12-02' })).days).toBe(0);
  });

  it('counts whole days over a daylight-saving change', async () => {
    // March in New York has a 23-hour day; it is still 31 days from 1 March to 1 April.
    const march = createClockTool(at('2026-03-01T17:00:00.000Z'));
    const reading = await call(march, {
      operation: 'days_until',
      date: '2026-04-01',
      timezone: 'America/New_York',
    });
    expect(reading).toMatchObject({ from: '2026-03-01', days: 31, weekday: 'Wednesday' });
  });

  it('needs a date', async () => {
    await expect(clock.invoke({ operation: 'days_until' })).rejects.toThrow('days_until needs a date');
  });
});

describe('clock: weekday', () => {
  const clock = createClockTool(at('2026-12-02T12:00:00.000Z'));

  it('names the day of the week of a date, without a time zone', async () => {
    expect(await call(clock, { operation: 'weekday', date: '2026-12-25' })).toEqual({
      operation: 'weekday',
      date: '2026-12-25',
      weekday: 'Friday',
    });
    expect((await call(clock, { operation: 'weekday', date: '2000-01-01' })).weekday).toBe('Saturday');
    expect((await call(clock, { operation: 'weekday', date: '0001-01-01' })).weekday).toBe('Monday');
  });

  it.each([
    ['2026-02-30', 'February 2026 has 28 days'],
    ['2026-02-29', 'February 2026 has 28 days'],
    ['1900-02-29', 'February 1900 has 28 days'],
    ['2026-13-01', 'there is no month 13'],
    ['2026-04-31', 'April 2026 has 30 days'],
    ['0000-01-01', 'years start at 0001'],
  ])('refuses the impossible date %s (%s)', async (date, why) => {
    await expect(clock.invoke({ operation: 'weekday', date })).rejects.toThrow(why);
  });

  it('refuses what is not a date at all, and a missing date', async () => {
    await expect(clock.invoke({ operation: 'weekday', date: 'tomorrow' })).rejects.toThrow();
    await expect(clock.invoke({ operation: 'weekday' })).rejects.toThrow('weekday needs a date');
  });
});
