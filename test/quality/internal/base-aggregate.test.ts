import { describe, expect, it } from 'vitest';
import { aggregateBase } from '../../../src/quality/internal/base-aggregate.js';
import type { Ohlcv } from '../../../src/schemas/ohlcv.js';
import type { OhlcvColumns } from '../../../src/schemas/ohlcv-columns.js';

const T0 = Date.UTC(2025, 0, 30, 10, 0);
const MIN = 60_000;
const minute = (m: number, open: number, high: number, low: number, close: number, volume: number): Ohlcv => ({
  timestamp: T0 + m * MIN,
  open,
  high,
  low,
  close,
  volume,
});

function rowsOf(columns: OhlcvColumns): number[][] {
  return Array.from({ length: columns.length }, (_, k) => [
    columns.timestamp[k]!,
    columns.open[k]!,
    columns.high[k]!,
    columns.low[k]!,
    columns.close[k]!,
    columns.volume[k]!,
  ]);
}

// Every expected bucket below is worked out by hand from the bars: first open, highest high,
// lowest low, last close, summed volume, where a bar without volume adds no price to a bucket
// that traded (Binance's filler minutes, as in check-consistency.test.ts).
describe('aggregateBase', () => {
  it('builds whole buckets only, in time order, fillers adding no price to a bucket that traded', () => {
    const bars = [
      minute(4, 12, 12, 12, 12, 0), // a filler after the last trade: its close 12 is not the bucket's
      minute(0, 8, 8, 8, 8, 0), // a filler before the first trade: sets no open, high or low
      minute(1, 10, 12, 9, 11, 3),
      minute(1, 99, 99, 99, 99, 9), // a second bar at 10:01: the first one counts
      minute(2, 11.5, 13, 11.2, 12, 2),
      minute(3, 12, 12.5, 10.5, 11, 1),
      minute(5, 11, 11, 11, 11, 1), // the 10:05 bucket is not covered to its end: dropped
    ];
    expect(rowsOf(aggregateBase(bars, '1m', '5m'))).toEqual([[T0, 10, 13, 9, 11, 6]]);
  });

  it('keeps plain first / max / min / last for a bucket without trades', () => {
    const bars = [minute(0, 8, 9, 7, 8.5, 0), minute(1, 8.5, 10, 8, 9, 0), minute(2, 9, 9, 6, 7, 0)];
    expect(rowsOf(aggregateBase(bars, '1m', '3m'))).toEqual([[T0, 8, 10, 6, 7, 0]]);
  });

  it('drops a bucket holding a bar with a non-finite value, and one the bars start inside', () => {
    const bars = [
      minute(1, 1, 1, 1, 1, 1), // 10:00 bucket starts before the first bar: dropped
      minute(2, 1, 1, 1, 1, 1),
      minute(3, 1, 2, 1, 2, 1),
      minute(4, 2, 2, 2, Number.NaN, 1), // 10:03 bucket: dropped
      minute(5, 2, 2, 2, 2, 1),
      minute(6, 2, 3, 2, 3, 2),
      minute(7, 3, 3, 1, 1, 1),
      minute(8, 1, 1.5, 1, 1.5, 1),
    ];
    expect(rowsOf(aggregateBase(bars, '1m', '3m'))).toEqual([[T0 + 6 * MIN, 2, 3, 1, 1.5, 4]]);
  });

  it('skips a base bar off the base grid, as aggregateOhlcv does', () => {
    const bars = [minute(0, 1, 1, 1, 1, 1), { ...minute(1, 5, 5, 5, 5, 1), timestamp: T0 + MIN + 17 }, minute(2, 1, 2, 1, 2, 1)];
    expect(rowsOf(aggregateBase(bars, '1m', '3m'))).toEqual([[T0, 1, 2, 1, 2, 2]]);
  });
});
