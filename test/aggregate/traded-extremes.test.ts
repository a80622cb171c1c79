/**
 * The branch-free bucket scan (`aggregate/internal/traded-extremes.ts`): it returns the exact
 * highest high, lowest low and volume sum of a bucket, or `false` and leaves the bucket to the
 * branching scan. So `aggregateOhlcv`'s high is the highest high and its low the lowest low
 * whatever the prices — bars whose high lies below their low, negative lows, lows of 0 with
 * highs whose differences round (it does not validate the bars) — and the scan's check of the
 * steps between timestamps, done in the same pass on the first target, misses no bar off the
 * grid wherever it lies in its bucket. Its TSDoc: with `step` a number it returns `false` unless
 * each timestamp is `step` ms after the one before (`previous` for row `a`), which is checked
 * directly around 1970-01-01, where two timestamps can add up to the step (issue #25).
 */
import { describe, expect, it } from 'vitest';
import { aggregateOhlcv } from '../../src/aggregate/aggregate-ohlcv.js';
import { tradedExtremes } from '../../src/aggregate/internal/traded-extremes.js';
import type { OhlcvColumns } from '../../src/index.js';

const T0 = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;

/** Columns of 1m bars from T0 with the given highs and lows (open = close = low), volume 1. */
function minuteBars(highs: readonly number[], lows: readonly number[], times?: readonly number[]): OhlcvColumns {
  const n = highs.length;
  return {
    length: n,
    timestamp: Float64Array.from(times ?? Array.from({ length: n }, (_, i) => T0 + i * MINUTE)),
    open: Float64Array.from(lows),
    high: Float64Array.from(highs),
    low: Float64Array.from(lows),
    close: Float64Array.from(lows),
    volume: new Float64Array(n).fill(1),
  };
}

describe('aggregateOhlcv’s high and low, whatever the prices', () => {
  it('takes the highest high and the lowest low of 5-bar buckets of odd prices', () => {
    // Bucket 0 is plain; each later one is odd in one way. Five bars a bucket: the scan reads
    // four rows at a time (one row in each of its four lanes) and the fifth alone.
    const buckets: [number[], number[]][] = [
      [
        [12, 12, 12, 12, 12],
        [10, 10, 10, 10, 10],
      ],
      // Highs below the lows.
      [
        [1, 1, 1, 1, 1],
        [10, 10, 10, 10, 10],
      ],
      // One negative low, in each lane in turn.
      ...[0, 1, 2, 3].map((k): [number[], number[]] => [[12, 12, 12, 12, 12], [10, 10, 10, 10, 10].map((low, i) => (i === k ? -20 : low))]),
      // Lows of 0 and negative highs far apart: -3 - (-2^60) rounds to 2^60.
      [
        [-3, -(2 ** 60), -(2 ** 60), -(2 ** 60), -(2 ** 60)],
        [0, 0, 0, 0, 0],
      ],
    ];
    const result = aggregateOhlcv(
      minuteBars(
        buckets.flatMap(([highs]) => highs),
        buckets.flatMap(([, lows]) => lows),
      ),
      '5m',
      { source: '1m' },
    );
    expect([...result.bars.high]).toEqual(buckets.map(([highs]) => Math.max(...highs)));
    expect([...result.bars.low]).toEqual(buckets.map(([, lows]) => Math.min(...lows)));
  });
});

describe('aggregateOhlcv’s check of the steps in its first pass', () => {
  for (const k of [0, 1, 2, 3, 4]) {
    it(`reports every bar once the series slides 30 s off the 1m grid at row ${k} of a 5m bucket`, () => {
      // 15 bars; from bar 5 + k on, every bar is 30 s late (a step of 90 s, then whole minutes).
      const times = Array.from({ length: 15 }, (_, i) => T0 + i * MINUTE + (i >= 5 + k ? 30_000 : 0));
      const flat = new Array<number>(15).fill(1);
      const result = aggregateOhlcv(minuteBars(flat, flat, times), '5m', { source: '1m', partialEnd: 'keep' });
      const skipped = Array.from({ length: 10 - k }, (_, j) => 5 + k + j);
      expect(result.issues.filter((issue) => issue.code === 'misaligned_timestamp').map((issue) => issue.index)).toEqual(skipped);
      expect([...(result.bars.count ?? [])]).toEqual(k === 0 ? [5] : [5, k]);
    });
  }
});

describe('tradedExtremes', () => {
  it('gives the exact high, low and volume of rows that all traded, one step apart, whose high is at most 1.5× their low', () => {
    // 4 to 9 rows (whole groups of four and rows left over), checked against `step` and not (NaN);
    // the highest high is exactly 1.5× the lowest low in one row.
    for (const n of [4, 5, 6, 7, 8, 9]) {
      for (const step of [MINUTE, Number.NaN]) {
        const ts = Float64Array.from({ length: n }, (_, i) => T0 + i * MINUTE);
        const high = Float64Array.from({ length: n }, (_, i) => (i === n - 2 ? 15 : 11 + (i % 3)));
        const low = Float64Array.from({ length: n }, (_, i) => (i === 1 ? 10 : 10.5 + (i % 2)));
        const volume = Float64Array.from({ length: n }, (_, i) => i + 1);
        const out = new Float64Array(3);
        expect(tradedExtremes(ts, high, low, volume, 0, n, step, T0 - MINUTE, out)).toBe(true);
        expect([...out]).toEqual([15, 10, (n * (n + 1)) / 2]);
      }
    }
  });

  it('returns false for a step of 90 s at any row, also around 1970-01-01 where that step’s two times add up to the 60 s step', () => {
    // Five rows the scan accepts but for one step. Around the epoch, the row k before the step is
    // 15 s before it and row k 75 s after: 75,000 − (−15,000) = 90,000, but 75,000 + (−15,000) = 60,000.
    const high = new Float64Array(5).fill(12);
    const low = new Float64Array(5).fill(10);
    const volume = new Float64Array(5).fill(1);
    for (const k of [0, 1, 2, 3, 4]) {
      const times = [0, 1, 2, 3, 4].map((i) => (i < k ? (i - k + 1) * MINUTE - 15_000 : (i - k) * MINUTE + 75_000));
      const previous = k === 0 ? -15_000 : (times[0] as number) - MINUTE;
      for (const shift of [0, T0]) {
        const ts = Float64Array.from(times, (t) => t + shift);
        expect(tradedExtremes(ts, high, low, volume, 0, 5, MINUTE, previous + shift, new Float64Array(3))).toBe(false);
      }
    }
  });
});
