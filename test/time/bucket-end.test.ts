import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS, bucketEnd, bucketStart, isFixedTimeframe, timeframeMs } from '../../src/time/index.js';
import { timeframeArb, timestampArb } from './arbitraries.js';

describe('bucketEnd', () => {
  it('ends months on the 1st of the next month, leap Februaries included', () => {
    // Gregorian rule: 2000 and 2024 are leap years (29 days in February), 2100 and 2023 are not.
    const februaryDays = (year: number): number =>
      (bucketEnd(Date.UTC(year, 1, 10), '1M') - bucketStart(Date.UTC(year, 1, 10), '1M')) / DAY_MS;
    expect(februaryDays(2000)).toBe(29);
    expect(februaryDays(2024)).toBe(29);
    expect(februaryDays(2100)).toBe(28);
    expect(februaryDays(2023)).toBe(28);
    expect(bucketEnd(Date.UTC(2024, 1, 10), '1M')).toBe(Date.UTC(2024, 2, 1));
    expect(bucketEnd(Date.UTC(2024, 11, 31, 23, 59), '1M')).toBe(Date.UTC(2025, 0, 1));
  });

  it('is exclusive: a bucket start is the end of the previous bucket', () => {
    expect(bucketEnd(Date.UTC(2025, 0, 30, 10, 25), '5m')).toBe(Date.UTC(2025, 0, 30, 10, 30));
    expect(bucketEnd(Date.UTC(2025, 0, 27), '1W')).toBe(Date.UTC(2025, 1, 3));
  });

  it('is one width after the start for fixed timeframes', () => {
    fc.assert(
      fc.property(timestampArb, timeframeArb, (t, tf) => {
        if (!isFixedTimeframe(tf)) return;
        expect(bucketEnd(t, tf) - bucketStart(t, tf)).toBe(timeframeMs(tf));
      }),
    );
  });

  it('gives months of 28 to 31 days whose end is the next month start', () => {
    fc.assert(
      fc.property(timestampArb, (t) => {
        const end = bucketEnd(t, '1M');
        const days = (end - bucketStart(t, '1M')) / DAY_MS;
        expect([28, 29, 30, 31]).toContain(days);
        expect(bucketStart(end, '1M')).toBe(end);
      }),
    );
  });
});
