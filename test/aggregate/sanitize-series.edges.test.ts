/**
 * The edges of `sanitizeSeries` (`aggregate/internal/sanitize-series.ts`) as `aggregateOhlcv`
 * shows them: timestamps that are not finite at either end or in the middle are skipped and
 * reported, the greatest common divisor of the steps infers the source (two different steps,
 * steps of 1 ms), and nothing past the columns' `length` is read — `OhlcvColumns`' arrays may be
 * longer, to leave room for appends (issue #25).
 */
import { describe, expect, it } from 'vitest';
import { aggregateOhlcv } from '../../src/aggregate/aggregate-ohlcv.js';
import type { OhlcvColumns } from '../../src/index.js';
import { issueCodes, pricedColumns } from './support.js';

const T0 = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;

const bars = (times: readonly number[], length = times.length, flags?: readonly number[]): OhlcvColumns =>
  pricedColumns(times, { length, ...(flags === undefined ? {} : { flags }) });

const codes = issueCodes;
const keep = { partialStart: 'keep', partialEnd: 'keep' } as const;

describe('aggregateOhlcv’s skipped and inferred timestamps', () => {
  it('infers 1m bars from steps of 1 and 2 minutes (their greatest common divisor)', () => {
    // Minutes 0, 1, 2, 4 and 5: no issue; the 5m buckets hold 4 bars and 1.
    const result = aggregateOhlcv(bars([0, 1, 2, 4, 5].map((m) => T0 + m * MINUTE)), '5m', keep);
    expect(result.issues).toEqual([]);
    expect([...result.bars.timestamp]).toEqual([T0, T0 + 5 * MINUTE]);
    expect([...(result.bars.count ?? [])]).toEqual([4, 1]);
  });

  it('skips and reports a bar at +Infinity between finite ones', () => {
    const result = aggregateOhlcv(bars([T0, T0 + MINUTE, Number.POSITIVE_INFINITY, T0 + 2 * MINUTE]), '5m', { source: '1m', ...keep });
    expect(codes(result.issues)).toEqual([['unsorted_timestamp', 2]]);
    expect([...(result.bars.count ?? [])]).toEqual([3]);
  });

  it('skips and reports an infinite first or last bar of two, leaving one bar of unknown width', () => {
    // One finite bar is left: without `source` its width is unknown (`source_timeframe_unknown`).
    for (const [times, skipped] of [
      [[T0, Number.POSITIVE_INFINITY], 1],
      [[Number.NEGATIVE_INFINITY, T0], 0],
    ] as const) {
      const result = aggregateOhlcv(bars(times), '5m', keep);
      expect(codes(result.issues)).toEqual([
        ['unsorted_timestamp', skipped],
        ['source_timeframe_unknown', -1],
      ]);
      expect([...result.bars.timestamp]).toEqual([T0]);
    }
  });

  it('finds no timeframe for bars 1 ms apart, whether the input is clean (with flags) or has a repeated bar', () => {
    // Steps of 1 ms: their greatest common divisor, 1 ms, is no timeframe's grid.
    const unknown = ['source_timeframe_unknown', -1] as [string, number];
    const flagged = aggregateOhlcv(bars([T0, T0 + 1, T0 + 2], 3, [0, 0, 0]), '5m', keep);
    expect(codes(flagged.issues)).toEqual([unknown]);
    expect(flagged.issues[0]?.message).toContain('share 1 ms');
    const repeated = aggregateOhlcv(bars([T0, T0 + 1, T0 + 1, T0 + 2]), '5m', keep);
    expect(codes(repeated.issues)).toEqual([['duplicate_timestamp', 2], unknown]);
    expect(repeated.issues[1]?.message).toContain('share 1 ms');
    expect(repeated.bars.length).toBe(0);
  });
});

describe('aggregateOhlcv reads no timestamp past the columns’ length', () => {
  it('one bar in arrays of two: a single bar of unknown width, whatever follows it in the arrays', () => {
    const result = aggregateOhlcv(bars([T0, T0 + MINUTE], 1), '5m', keep);
    expect(codes(result.issues)).toEqual([['source_timeframe_unknown', -1]]);
    expect([...result.bars.timestamp]).toEqual([T0]);
  });

  it('two bars, the second at +Infinity, in arrays of four: the infinite bar is skipped', () => {
    const result = aggregateOhlcv(bars([T0, Number.POSITIVE_INFINITY, T0 + MINUTE, T0 + 2 * MINUTE], 2), '5m', keep);
    expect(codes(result.issues)).toEqual([
      ['unsorted_timestamp', 1],
      ['source_timeframe_unknown', -1],
    ]);
    expect([...result.bars.timestamp]).toEqual([T0]);
  });
});
