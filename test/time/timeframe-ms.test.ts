import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, MINUTE_MS, WEEK_MS, isFixedTimeframe, timeframeMs, type FixedTimeframe } from '../../src/time/index.js';

describe('timeframeMs', () => {
  it.each<[FixedTimeframe, number]>([
    ['1m', 60_000],
    ['3m', 180_000],
    ['5m', 300_000],
    ['15m', 900_000],
    ['30m', 1_800_000],
    ['1H', 3_600_000],
    ['2H', 7_200_000],
    ['4H', 14_400_000],
    ['6H', 21_600_000],
    ['8H', 28_800_000],
    ['12H', 43_200_000],
    ['1D', 86_400_000],
    ['1W', 604_800_000],
  ])('gives %s as %i ms', (tf, ms) => {
    expect(timeframeMs(tf)).toBe(ms);
  });

  it('exports unit constants that agree with the widths', () => {
    expect([MINUTE_MS, HOUR_MS, DAY_MS, WEEK_MS]).toEqual([60_000, 3_600_000, 86_400_000, 604_800_000]);
  });
});

describe('isFixedTimeframe', () => {
  it('is false only for the calendar month', () => {
    expect(isFixedTimeframe('1M')).toBe(false);
    expect(isFixedTimeframe('1W')).toBe(true);
    expect(isFixedTimeframe('1m')).toBe(true);
  });
});
