import { describe, expect, it } from 'vitest';
import { OhlcvAggregator } from '../../src/aggregate/ohlcv-aggregator.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';

const T0 = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;
const at = (minutes: number, price = 1): Ohlcv => ({
  timestamp: T0 + minutes * MINUTE,
  open: price,
  high: price,
  low: price,
  close: price,
  volume: 1,
});

// Every skip the TSDoc of `AggregateIssueCode` lists for streaming, with `index` the 0-based number
// of the `add` call (also the issue's `path`); the messages are written out by hand.
describe('OhlcvAggregator’s issues', () => {
  it('reports each skipped bar with its add number and time, and the dropped partial first bucket', () => {
    const aggregator = new OhlcvAggregator({ source: '1m', target: '5m', partialStart: 'drop' });
    expect(aggregator.add(at(2))).toEqual([]);
    expect(aggregator.add({ ...at(0), timestamp: Number.NaN })).toEqual([]);
    expect(aggregator.add(at(2, 9))).toEqual([]);
    expect(aggregator.add(at(1, 9))).toEqual([]);
    expect(aggregator.add(at(3.5, 9))).toEqual([]);
    // 00:04 ends the 5m bucket 00:00, which started before the first bar (00:02): dropped.
    expect(aggregator.add(at(4))).toEqual([]);
    expect(aggregator.add(at(5, 2))).toEqual([]);
    // Nothing can reach the bucket 00:05 after 00:10.
    expect(aggregator.close(T0 + 10 * MINUTE)).toMatchObject([{ timestamp: T0 + 5 * MINUTE, open: 2, close: 2, volume: 1 }]);
    expect(aggregator.add(at(7, 9))).toEqual([]);
    expect(aggregator.takeIssues()).toEqual([
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
        timestamp: T0 + 2 * MINUTE,
        message: 'Bar 2 repeats the timestamp 2024-01-01T00:02:00.000Z; the first bar is kept and this one is skipped',
      },
      {
        code: 'unsorted_timestamp',
        path: [3],
        index: 3,
        timestamp: T0 + MINUTE,
        message: 'Bar 3 (2024-01-01T00:01:00.000Z) is older than the bar before it (2024-01-01T00:02:00.000Z); it is skipped',
      },
      {
        code: 'misaligned_timestamp',
        path: [4],
        index: 4,
        timestamp: T0 + 3.5 * MINUTE,
        message: 'Bar 4 (2024-01-01T00:03:30.000Z) does not open on the 1m grid; it is skipped',
      },
      {
        code: 'partial_bucket_dropped',
        path: [],
        index: -1,
        timestamp: T0,
        message: 'The 5m bucket at 2024-01-01T00:00:00.000Z starts before the first bar; it is dropped',
      },
      {
        code: 'late_bar',
        path: [7],
        index: 7,
        timestamp: T0 + 7 * MINUTE,
        message: 'Bar 7 (2024-01-01T00:07:00.000Z) belongs to a 5m bucket already closed (until 2024-01-01T00:10:00.000Z); it is skipped',
      },
    ]);
    expect(aggregator.takeIssues()).toEqual([]);
  });
});
