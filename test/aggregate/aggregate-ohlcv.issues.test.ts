import { describe, expect, it } from 'vitest';
import { aggregateOhlcv } from '../../src/aggregate/aggregate-ohlcv.js';
import { toColumns } from '../../src/formats/to-columns.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';

/** 2024-01-01, a Monday: on every grid, the week's included. */
const T0 = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;
const at = (minutes: number, open = 1, close = open): Ohlcv => ({
  timestamp: T0 + minutes * MINUTE,
  open,
  high: Math.max(open, close),
  low: Math.min(open, close),
  close,
  volume: 1,
});

// The issues `aggregateOhlcv` leaves behind, each built by hand from the TSDoc of
// `AggregateIssueCode` (what happened) and of `aggregateOhlcv` (partial buckets, source timeframe).
describe('aggregateOhlcv’s issues', () => {
  it('reports bars off the declared source grid, with how many of the input they are', () => {
    const result = aggregateOhlcv([at(0), at(1.5), at(2)], '5m', { source: '1m', partialEnd: 'keep' });
    expect(result.issues).toContainEqual({
      code: 'source_timeframe_mismatch',
      path: [],
      index: -1,
      timestamp: Number.NaN,
      message: '1 of 3 bars do not open on the 1m grid; the data does not look like 1m bars',
    });
    expect(result.issues.filter((issue) => issue.code === 'misaligned_timestamp')).toMatchObject([{ index: 1, timestamp: T0 + 90_000 }]);
  });

  it('says so too when every bar is off the declared grid and no bar is left', () => {
    const result = aggregateOhlcv([at(0.5), at(1.5)], '5m', { source: '1m' });
    expect(result.bars).toEqual([]);
    expect(result.issues).toContainEqual({
      code: 'source_timeframe_mismatch',
      path: [],
      index: -1,
      timestamp: Number.NaN,
      message: '2 of 2 bars do not open on the 1m grid; the data does not look like 1m bars',
    });
    expect(result.issues.filter((issue) => issue.code === 'misaligned_timestamp').map((issue) => issue.index)).toEqual([0, 1]);
  });

  it('reports bars declared 1m whose every step is a multiple of 5m, and still judges partial buckets as 1m', () => {
    // 00:00, 00:05, 00:10 on the 1m grid: the 15m bucket 00:00 is covered to 00:11 only.
    const result = aggregateOhlcv([at(0), at(5), at(10)], '15m', { source: '1m', partialEnd: 'keep' });
    expect(result.issues).toEqual([
      {
        code: 'source_timeframe_mismatch',
        path: [],
        index: -1,
        timestamp: Number.NaN,
        message: 'Every step between bars is a multiple of 5m: the bars look like 5m bars, not 1m; partial buckets are judged as 1m',
      },
    ]);
    expect(result.partial).toEqual({ first: false, last: true });
  });

  it('reports nothing about a single bar of a declared source', () => {
    // One bar has no step: nothing says it is anything but a 1m bar.
    const result = aggregateOhlcv([at(0)], '5m', { source: '1m', partialEnd: 'keep' });
    expect(result.issues).toEqual([]);
    expect(result.partial).toEqual({ first: false, last: true });
  });

  it('reports an input without bars with no issue at all', () => {
    expect(aggregateOhlcv([], '5m')).toEqual({ bars: [], partial: { first: false, last: false }, issues: [] });
  });

  it('gives no bars when no timeframe grid holds the steps between bars, and says to pass `source`', () => {
    // 00:00 and 00:01:30: steps share 90 000 ms, which no timeframe is a divisor of.
    const result = aggregateOhlcv([at(0), at(1.5)], ['5m', '15m'], { partialEnd: 'keep' });
    const issue = {
      code: 'source_timeframe_unknown',
      path: [],
      index: -1,
      timestamp: Number.NaN,
      message: 'Cannot infer the source timeframe: the steps between bars share 90000 ms, which no timeframe grid holds; pass `source`',
    };
    expect(result['5m']).toEqual({ bars: [], partial: { first: false, last: false }, issues: [issue] });
    expect(result['15m']).toEqual({ bars: [], partial: { first: false, last: false }, issues: [issue] });
  });

  it('builds no target the inferred source does not divide, and says so for that target only', () => {
    // Every 3 minutes from 00:00: 3m bars. 3m divides 15m, not 5m.
    const bars = [at(0, 1, 2), at(3, 2, 3), at(6, 3, 4), at(9, 4, 5), at(12, 5, 6)];
    const result = aggregateOhlcv(bars, ['5m', '15m']);
    expect(result['5m']).toEqual({
      bars: [],
      partial: { first: false, last: false },
      issues: [
        {
          code: 'source_timeframe_mismatch',
          path: [],
          index: -1,
          timestamp: Number.NaN,
          message: 'The bars look like 3m bars, which cannot be aggregated to 5m',
        },
      ],
    });
    // First open, highest high, lowest low, last close, summed volume; 00:12 + 3m covers the bucket to its end.
    expect(result['15m']).toMatchObject({
      bars: [{ timestamp: T0, open: 1, high: 6, low: 1, close: 6, volume: 5 }],
      partial: { first: false, last: false },
      issues: [],
    });
  });

  it('reports a single bar without `source`: its bucket counts as partial at the end', () => {
    const result = aggregateOhlcv([at(0)], '5m', { partialEnd: 'keep' });
    expect(result.issues).toEqual([
      {
        code: 'source_timeframe_unknown',
        path: [],
        index: -1,
        timestamp: T0,
        message: 'A single bar without `source`: its width is unknown, so its bucket counts as partial at the end',
      },
    ]);
    expect(result.partial).toEqual({ first: false, last: true });
    expect(result.bars).toHaveLength(1);
  });

  it('names the bucket, its start and the input’s first bar when it drops partial buckets', () => {
    // 1m bars 00:02 to 00:06: the 5m bucket 00:00 starts before them, the bucket 00:05 ends after 00:07.
    const result = aggregateOhlcv([at(2), at(3), at(4), at(5), at(6)], '5m', { source: '1m', partialStart: 'drop' });
    expect(result).toEqual({
      bars: [],
      partial: { first: false, last: false },
      issues: [
        {
          code: 'partial_bucket_dropped',
          path: [],
          index: -1,
          timestamp: T0,
          message: 'The 5m bucket at 2024-01-01T00:00:00.000Z starts before the input (2024-01-01T00:02:00.000Z); it is dropped',
        },
        {
          code: 'partial_bucket_dropped',
          path: [],
          index: -1,
          timestamp: T0 + 5 * MINUTE,
          message: 'The 5m bucket at 2024-01-01T00:05:00.000Z is not covered to its end by the input; it is dropped (still in progress?)',
        },
      ],
    });
  });

  it('drops a bucket partial at both ends once, as the first one', () => {
    const result = aggregateOhlcv([at(2), at(3)], '5m', { source: '1m', partialStart: 'drop' });
    expect(result.bars).toEqual([]);
    expect(result.partial).toEqual({ first: false, last: false });
    expect(result.issues.map((issue) => issue.message)).toEqual([
      'The 5m bucket at 2024-01-01T00:00:00.000Z starts before the input (2024-01-01T00:02:00.000Z); it is dropped',
    ]);
  });

  it('flags no partial end that is not in `bars`', () => {
    // The one bucket is partial at both ends; the dropped end leaves nothing for the kept end's flag.
    const keepFirst = aggregateOhlcv([at(2), at(3)], '5m', { source: '1m', partialStart: 'keep', partialEnd: 'drop' });
    expect(keepFirst.bars).toEqual([]);
    expect(keepFirst.partial).toEqual({ first: false, last: false });
    const keepLast = aggregateOhlcv([at(2), at(3)], '5m', { source: '1m', partialStart: 'drop', partialEnd: 'keep' });
    expect(keepLast.bars).toEqual([]);
    expect(keepLast.partial).toEqual({ first: false, last: false });
    const keepBoth = aggregateOhlcv([at(2), at(3)], '5m', { source: '1m', partialStart: 'keep', partialEnd: 'keep' });
    expect(keepBoth.bars).toHaveLength(1);
    expect(keepBoth.partial).toEqual({ first: true, last: true });
  });

  it('reads columns whose length their arrays do not back as no bars, and reports them first', () => {
    const columns = { ...toColumns([at(0), at(1)]), length: 5 };
    const result = aggregateOhlcv(columns, '5m', { source: '1m' });
    expect(result.bars.length).toBe(0);
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({ code: 'malformed_columns', path: [], index: -1, timestamp: Number.NaN });
  });

  it('aggregates months declared as the source to months', () => {
    const months = [Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1)].map((timestamp) => ({ ...at(0), timestamp }));
    const result = aggregateOhlcv(months, '1M', { source: '1M' });
    expect(result.issues).toEqual([]);
    expect(result.bars.map((bar) => bar.timestamp)).toEqual([Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1)]);
  });
});
