import { describe, expect, it } from 'vitest';
import { aggregateOhlcv } from '../../src/aggregate/aggregate-ohlcv.js';
import { mergeSources } from '../../src/aggregate/merge-sources.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';

const T0 = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;
const at = (timestamp: number, price = 1): Ohlcv => ({ timestamp, open: price, high: price, low: price, close: price, volume: 1 });

// The skips `AggregateIssueCode`'s TSDoc lists (a bar repeating the previous timestamp, older
// than the one before it, off the source grid, or without a finite timestamp), as both batch
// functions report them; `index` is the bar's position in its input.
describe('the skipped bars of aggregateOhlcv and mergeSources', () => {
  it('reports each skipped bar with its position, its time and why', () => {
    const input = [at(T0 + MINUTE, 1), at(Number.NaN), at(T0 + MINUTE, 9), at(T0, 9), at(T0 + 1.5 * MINUTE, 9), at(T0 + 2 * MINUTE, 2)];
    const result = aggregateOhlcv(input, '5m', { source: '1m', partialStart: 'keep', partialEnd: 'keep' });
    expect(result.issues).toEqual([
      {
        code: 'unsorted_timestamp',
        path: [1],
        index: 1,
        timestamp: Number.NaN,
        message: 'Bar 1 has no finite timestamp (`NaN`); it is skipped',
      },
      {
        code: 'duplicate_timestamp',
        path: [2],
        index: 2,
        timestamp: T0 + MINUTE,
        message: 'Bar 2 repeats the timestamp 2024-01-01T00:01:00.000Z; the first bar is kept and this one is skipped',
      },
      {
        code: 'unsorted_timestamp',
        path: [3],
        index: 3,
        timestamp: T0,
        message:
          'Bar 3 (2024-01-01T00:00:00.000Z) is older than the bar before it (2024-01-01T00:01:00.000Z); it is skipped (sort the input first)',
      },
      {
        code: 'misaligned_timestamp',
        path: [4],
        index: 4,
        timestamp: T0 + 1.5 * MINUTE,
        message: 'Bar 4 (2024-01-01T00:01:30.000Z) does not open on the 1m grid; it is skipped',
      },
      {
        code: 'source_timeframe_mismatch',
        path: [],
        index: -1,
        timestamp: Number.NaN,
        message: '1 of 6 bars do not open on the 1m grid; the data does not look like 1m bars',
      },
    ]);
    // Bars 0 and 5 are kept: first open, highest high, lowest low, last close, summed volume.
    expect(result.bars).toMatchObject([{ timestamp: T0, open: 1, high: 2, low: 1, close: 2, volume: 2 }]);
  });

  it('points the path of an issue about the first bar at index 0', () => {
    const result = aggregateOhlcv([at(Number.NaN), at(T0)], '1m', { source: '1m' });
    expect(result.issues).toMatchObject([{ code: 'unsorted_timestamp', path: [0], index: 0 }]);
  });

  it('keeps weekly bars that open on Mondays when it has to skip one of them', () => {
    // 2024-01-01 and 2024-01-08 are Mondays; the repeated bar sends the input through the careful path.
    const monday = Date.UTC(2024, 0, 1);
    const week = 7 * 24 * 60 * MINUTE;
    const result = aggregateOhlcv([at(monday, 1), at(monday, 5), at(monday + week, 2)], '1W', { source: '1W' });
    expect(result.bars.map((b) => [b.timestamp, b.close])).toEqual([
      [monday, 1],
      [monday + week, 2],
    ]);
    expect(result.issues.map((issue) => issue.code)).toEqual(['duplicate_timestamp']);
  });

  it('works out the step between bars of an input it had to clean', () => {
    // Once the repeat is skipped the bars are 5 minutes apart (5m bars): the 15m bucket is covered to its end (00:10 + 5m), the 1H one is not.
    const bars = [at(T0, 1), at(T0, 7), at(T0 + 5 * MINUTE, 2), at(T0 + 10 * MINUTE, 3)];
    const result = aggregateOhlcv(bars, ['15m', '1H'], { partialEnd: 'keep' });
    expect(result['15m'].bars).toMatchObject([{ timestamp: T0, open: 1, high: 3, low: 1, close: 3, volume: 3 }]);
    expect(result['15m'].partial).toEqual({ first: false, last: false });
    expect(result['1H'].partial).toEqual({ first: false, last: true });
  });

  it('works out the step between bars before 1970 from differences, not sums', () => {
    // 1969-12-31T23:59 and 1970-01-01T00:00, one minute apart (the repeat is skipped): 1m bars.
    const result = aggregateOhlcv([at(-MINUTE, 1), at(-MINUTE, 7), at(0, 2)], '1m', { partialEnd: 'keep' });
    expect(result.issues.map((issue) => issue.code)).toEqual(['duplicate_timestamp']);
    expect(result.bars.map((b) => [b.timestamp, b.close])).toEqual([
      [-MINUTE, 1],
      [0, 2],
    ]);
    expect(result.partial).toEqual({ first: false, last: false });
  });

  it('prefixes the messages of mergeSources with the source’s name', () => {
    const merged = mergeSources([at(T0), at(T0 - MINUTE)], [at(T0)], { names: ['exchange', 'vendor'] });
    expect(merged.issues.map((issue) => issue.message)).toEqual([
      'exchange: Bar 1 (2023-12-31T23:59:00.000Z) is older than the bar before it (2024-01-01T00:00:00.000Z); it is skipped (sort the input first)',
    ]);
  });
});
