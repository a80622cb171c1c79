import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketEnd, bucketStart, expectedBarCount, timeframeMs, type Timeframe } from '../../src/time/index.js';
import { timeframeArb, timestampArb } from './arbitraries.js';

/** Counts bucket starts in [start, end) by walking every bucket: slow but obviously right. */
function bruteForce(start: number, end: number, tf: Timeframe): number {
  let count = 0;
  for (let t = bucketStart(start, tf); t < end; t = bucketEnd(t, tf)) if (t >= start) count++;
  return count;
}

describe('expectedBarCount', () => {
  it('counts known calendars', () => {
    expect(expectedBarCount(Date.UTC(2025, 0, 30), Date.UTC(2025, 0, 31), '1m')).toBe(1440);
    expect(expectedBarCount(Date.UTC(2025, 0, 30), Date.UTC(2025, 0, 31), '5m')).toBe(288);
    // 2024 is a leap year (366 days), 2100 is not (365); both have 12 months.
    expect(expectedBarCount(Date.UTC(2024, 0, 1), Date.UTC(2025, 0, 1), '1D')).toBe(366);
    expect(expectedBarCount(Date.UTC(2100, 0, 1), Date.UTC(2101, 0, 1), '1D')).toBe(365);
    expect(expectedBarCount(Date.UTC(2024, 0, 1), Date.UTC(2025, 0, 1), '1M')).toBe(12);
    // February 2000 (leap): 29 days.
    expect(expectedBarCount(Date.UTC(2000, 1, 1), Date.UTC(2000, 2, 1), '1D')).toBe(29);
    // 2025-01-01 is a Wednesday: Mondays in January 2025 are the 6th, 13th, 20th and 27th.
    expect(expectedBarCount(Date.UTC(2025, 0, 1), Date.UTC(2025, 1, 1), '1W')).toBe(4);
    // The specification's data response: 1H bars from 2024-01-01 to 2025-01-30 (exclusive):
    // 366 + 29 days = 395 days = 9480 hours.
    expect(expectedBarCount(Date.UTC(2024, 0, 1), Date.UTC(2025, 0, 30), '1H')).toBe(9480);
  });

  it('counts only bucket starts inside [start, end)', () => {
    const t = Date.UTC(2025, 0, 30, 10, 0, 30);
    // 10:01, 10:02, 10:03 open inside [10:00:30, 10:03:30); 10:00 opened before the start.
    expect(expectedBarCount(t, t + 3 * 60_000, '1m')).toBe(3);
  });

  it('is zero for empty, reversed and non-finite ranges', () => {
    const t = Date.UTC(2025, 0, 30);
    expect(expectedBarCount(t, t, '1m')).toBe(0);
    expect(expectedBarCount(t + 1, t, '1m')).toBe(0);
    expect(expectedBarCount(Number.NaN, t, '1m')).toBe(0);
    expect(expectedBarCount(t, Infinity, '1m')).toBe(0);
    expect(expectedBarCount(t + 1, t + 59_999, '1m')).toBe(0);
  });

  it('agrees with a brute-force walk over the buckets', () => {
    fc.assert(
      fc.property(
        timestampArb,
        timeframeArb,
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: -5, max: 5 }),
        (start, tf, bars, jitter) => {
          const width = tf === '1M' ? 31 * 86_400_000 : timeframeMs(tf);
          const end = start + Math.round((bars + jitter / 10) * width);
          expect(expectedBarCount(start, end, tf)).toBe(bruteForce(start, end, tf));
        },
      ),
      { numRuns: 300 },
    );
  });
});
