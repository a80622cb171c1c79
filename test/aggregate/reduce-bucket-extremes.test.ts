/**
 * Which bars set a bucket's high, low and open in the batch kernel (`reduce-to-buckets.ts`),
 * at the inputs where its shortcuts could pick the wrong ones: a long bucket (more than eight
 * bars, started from its last bar) whose last bar has a `NaN` high or low, and buckets of flagged
 * bars where a synthetic bar (`interpolated`, `forward_filled`) has a volume above zero. Expected
 * values are the rules `aggregateOhlcv` documents: exchange-exact open, high and low from the
 * traded bars (volume above zero and not synthetic), close the last real bar's, volume summed; a
 * `NaN` price is not a number to compare, so it never sets the high or the low.
 */
import { describe, expect, it } from 'vitest';
import { aggregateOhlcv } from '../../src/aggregate/aggregate-ohlcv.js';
import type { Ohlcv, OhlcvColumns } from '../../src/index.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2024, 0, 1);
const keepAll = { source: '1m', partialStart: 'keep', partialEnd: 'keep' } as const;

/** Ten 1m bars of one 15m bucket, none traded (volume 0): highs 11…20, lows 9…0.5 (bar i: 11 + i, 9 − i), the last one's `high` or `low` replaced. */
function untradedTen(last: { high?: number; low?: number }): OhlcvColumns {
  const n = 10;
  const c: OhlcvColumns = {
    length: n,
    timestamp: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    c.timestamp[i] = T0 + i * MINUTE;
    c.open[i] = 10;
    c.high[i] = 11 + i;
    c.low[i] = i === n - 1 ? 0.5 : 9 - i;
    c.close[i] = 10;
  }
  if (last.high !== undefined) c.high[n - 1] = last.high;
  if (last.low !== undefined) c.low[n - 1] = last.low;
  return c;
}

describe('a long bucket without a traded bar whose last bar has a NaN price', () => {
  it('takes its high from the other bars when the last high is NaN', () => {
    const bars = aggregateOhlcv(untradedTen({ high: Number.NaN }), '15m', keepAll).bars;
    expect(bars.length).toBe(1);
    // Highs 11…19 and NaN: the highest number is 19.
    expect(bars.high[0]).toBe(19);
    expect(bars.low[0]).toBe(0.5);
  });

  it('takes its low from the other bars when the last low is NaN', () => {
    const bars = aggregateOhlcv(untradedTen({ low: Number.NaN }), '15m', keepAll).bars;
    expect(bars.length).toBe(1);
    // Lows 9, 8, …, 1 and NaN: the lowest number is 1.
    expect(bars.low[0]).toBe(1);
    expect(bars.high[0]).toBe(20);
  });

  it('does the same without exchange-exact extremes', () => {
    const options = { ...keepAll, exchangeExact: false } as const;
    expect(aggregateOhlcv(untradedTen({ high: Number.NaN }), '15m', options).bars.high[0]).toBe(19);
    expect(aggregateOhlcv(untradedTen({ low: Number.NaN }), '15m', options).bars.low[0]).toBe(1);
  });
});

/** A 1m bar at minute `i` of 2024-01-01. */
function bar(i: number, open: number, high: number, low: number, close: number, volume: number, flag?: Ohlcv['flag']): Ohlcv {
  const b: Ohlcv = { timestamp: T0 + i * MINUTE, open, high, low, close, volume };
  if (flag !== undefined) b.flag = flag;
  return b;
}

describe('a synthetic bar with a volume above zero does not trade', () => {
  for (const flag of ['forward_filled', 'interpolated'] as const) {
    it(`${flag}: the 5m bucket's open, high and low come from its real bars only`, () => {
      // Bar 0 is synthetic but carries volume 3; bars 1–4 are real and traded. Every high is
      // at most 1.5× every low (the kind of bucket the kernel scans without branches).
      const input = [
        bar(0, 13, 14, 12, 13.5, 3, flag),
        bar(1, 11, 12, 10.5, 11.5, 1),
        bar(2, 11.5, 11.75, 10, 10.5, 2),
        bar(3, 10.5, 11, 10.25, 11, 1),
        bar(4, 11, 11.5, 10.75, 11.25, 4),
      ];
      const [out] = aggregateOhlcv(input, '5m', keepAll).bars;
      // Traded bars 1–4: open = bar 1's 11, high = max(12, 11.75, 11, 11.5) = 12,
      // low = min(10.5, 10, 10.25, 10.75) = 10; close = bar 4's; volume 3 + 1 + 2 + 1 + 4 = 11.
      // A bucket with a traded bar is real and none of them was clipped: no flag.
      expect(out).toEqual({ timestamp: T0, open: 11, high: 12, low: 10, close: 11.25, volume: 11, count: 5 });
    });

    it(`${flag}: a 3-bar bucket with the synthetic bar inside takes its high and low from the two real ones`, () => {
      const input = [bar(0, 11, 12, 10.5, 11.5, 1), bar(1, 12, 14.5, 12, 13, 5, flag), bar(2, 11.5, 11.75, 10, 10.5, 2)];
      const [out] = aggregateOhlcv(input, '5m', keepAll).bars;
      // Real bars 0 and 2: high max(12, 11.75) = 12, low min(10.5, 10) = 10; volume 1 + 5 + 2.
      expect(out).toEqual({ timestamp: T0, open: 11, high: 12, low: 10, close: 10.5, volume: 8, count: 3 });
    });
  }
});
