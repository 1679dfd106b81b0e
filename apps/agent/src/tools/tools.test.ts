import { createCalculatorTool } from './calculator.js';
import { createClockTool, isTimeZone, readClock } from './clock.js';

describe('calculator tool', () => {
  const calculator = createCalculatorTool();

  it('returns the value of the expression', async () => {
    await expect(calculator.invoke({ expression: '(2+3)^2' })).resolves.toBe('25');
  });

  it('throws a readable error for bad input', async () => {
    await expect(calculator.invoke({ expression: '4 / (2 - 2)' })).rejects.toThrow('division by zero');
  });

  it('rejects input over the length limit before evaluating it', async () => {
    await expect(calculator.invoke({ expression: '1+'.repeat(150) })).rejects.toThrow();
  });
});

describe('clock tool', () => {
  const fixed = new Date('2026-03-01T12:34:56.000Z');
  const clock = createClockTool(() => fixed);

  it('reports the instant in ISO form and in words, in UTC by default', async () => {
    const reading = JSON.parse(await clock.invoke({}));
    expect(reading).toEqual({ iso: '2026-03-01T12:34:56.000Z', timezone: 'UTC', human: expect.any(String) });
    expect(reading.human).toContain('March 1, 2026');
    expect(reading.human).toContain('12:34:56');
  });

  it('converts to a named IANA time zone', async () => {
    const reading = JSON.parse(await clock.invoke({ timezone: 'Asia/Tokyo' }));
    expect(reading.timezone).toBe('Asia/Tokyo');
    expect(reading.human).toContain('9:34:56 PM');
  });

  it('refuses unknown time zones', async () => {
    await expect(clock.invoke({ timezone: 'Mars/Olympus_Mons' })).rejects.toThrow(
      'not a known IANA time zone',
    );
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(() => readClock(fixed, 'Nowhere/Land')).toThrow('Nowhere/Land');
  });
});
