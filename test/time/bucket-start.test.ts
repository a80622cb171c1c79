import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketStart } from '../../src/time/bucket-start.js';
import { DAY_MS, TIMEFRAMES, bucketEnd, isAligned, timeframeMs } from '../../src/time/index.js';
import { timeframeArb, timestampArb } from './arbitraries.js';

describe('bucketStart', () => {
  it('starts weeks on Monday 00:00 UTC', () => {
    // 2025-01-30 is a Thursday; the Monday of that week is 2025-01-27.
    expect(bucketStart(Date.UTC(2025, 0, 30, 10, 30), '1W')).toBe(Date.UTC(2025, 0, 27));
    // A Sunday belongs to the week that began six days earlier; Monday 00:00 starts its own.
    expect(bucketStart(Date.UTC(2025, 1, 2, 23, 59), '1W')).toBe(Date.UTC(2025, 0, 27));
    expect(bucketStart(Date.UTC(2025, 1, 3), '1W')).toBe(Date.UTC(2025, 1, 3));
    // The epoch was a Thursday: its week began Monday 1969-12-29.
    expect(bucketStart(0, '1W')).toBe(Date.UTC(1969, 11, 29));
  });

  it('starts months on the 1st 00:00 UTC', () => {
    expect(bucketStart(Date.UTC(2024, 1, 29, 23, 59), '1M')).toBe(Date.UTC(2024, 1, 1));
    expect(bucketStart(Date.UTC(2000, 1, 29, 12), '1M')).toBe(Date.UTC(2000, 1, 1));
    expect(bucketStart(Date.UTC(2100, 1, 28, 23, 59, 59, 999), '1M')).toBe(Date.UTC(2100, 1, 1));
    expect(bucketStart(Date.UTC(2100, 2, 1), '1M')).toBe(Date.UTC(2100, 2, 1));
  });

  it('aligns fixed widths to the Unix epoch', () => {
    // 10:29:59 falls in the 5m bucket of 10:25, the 4H bucket of 08:00 and the 12H bucket of 00:00.
    const t = Date.UTC(2025, 0, 30, 10, 29, 59);
    expect(bucketStart(t, '5m')).toBe(Date.UTC(2025, 0, 30, 10, 25));
    expect(bucketStart(t, '4H')).toBe(Date.UTC(2025, 0, 30, 8));
    expect(bucketStart(t, '12H')).toBe(Date.UTC(2025, 0, 30));
    expect(bucketStart(t, '1D')).toBe(Date.UTC(2025, 0, 30));
    // Before the epoch buckets still floor (towards -infinity), not truncate towards zero.
    expect(bucketStart(-1, '1m')).toBe(-60_000);
  });

  it('contains its timestamp: bucketStart(t) <= t < bucketEnd(t)', () => {
    fc.assert(
      fc.property(timestampArb, timeframeArb, (t, tf) => {
        expect(bucketStart(t, tf)).toBeLessThanOrEqual(t);
        expect(bucketEnd(t, tf)).toBeGreaterThan(t);
      }),
    );
  });

  it('is idempotent and returns aligned times', () => {
    fc.assert(
      fc.property(timestampArb, timeframeArb, (t, tf) => {
        const start = bucketStart(t, tf);
        expect(bucketStart(start, tf)).toBe(start);
        expect(isAligned(start, tf)).toBe(true);
        // Every time up to the end belongs to the same bucket.
        expect(bucketStart(bucketEnd(t, tf) - 1, tf)).toBe(start);
      }),
    );
  });

  it('puts every width that divides a day on UTC midnight boundaries', () => {
    const dividers = TIMEFRAMES.filter((tf) => tf !== '1W' && tf !== '1M');
    fc.assert(
      fc.property(timestampArb, fc.constantFrom(...dividers), (t, tf) => {
        const start = bucketStart(t, tf);
        const width = timeframeMs(tf);
        expect(DAY_MS % width).toBe(0);
        expect(((start % width) + width) % width).toBe(0);
        // The day's midnight is a bucket start too.
        expect(bucketStart(Math.floor(t / DAY_MS) * DAY_MS, tf)).toBe(Math.floor(t / DAY_MS) * DAY_MS);
      }),
    );
  });

  it('starts every week on a Monday at 00:00 UTC', () => {
    fc.assert(
      fc.property(timestampArb, (t) => {
        const start = new Date(bucketStart(t, '1W'));
        expect(start.getUTCDay()).toBe(1);
        expect(start.toISOString().slice(10)).toBe('T00:00:00.000Z');
        expect(t - start.getTime()).toBeLessThan(7 * DAY_MS);
      }),
    );
  });

  it('starts every month on the 1st at 00:00 UTC of the same month', () => {
    fc.assert(
      fc.property(timestampArb, (t) => {
        const start = new Date(bucketStart(t, '1M'));
        const date = new Date(t);
        expect(start.getUTCDate()).toBe(1);
        expect(start.toISOString().slice(10)).toBe('T00:00:00.000Z');
        expect(start.getUTCFullYear()).toBe(date.getUTCFullYear());
        expect(start.getUTCMonth()).toBe(date.getUTCMonth());
      }),
    );
  });
});
