/**
 * The edges of the one-pass route of `aggregateOhlcv` (`reduceCheckedToBuckets` in
 * `aggregate/internal/reduce-to-buckets.ts`), which checks a raw input while it builds the
 * smallest target: whatever it accepts must give what `sanitizeSeries` + `reduceToBuckets`
 * give, so an input it must refuse (a bar without a finite time, bars off the source grid) is
 * reported bar by bar, and the output is sized from the bars, never from the span alone. Also
 * the optional columns the kernel carries: each one present is summed, even alone; `synthetic`
 * with `provenance` (issue #25).
 */
import { describe, expect, it } from 'vitest';
import { aggregateOhlcv } from '../../src/aggregate/aggregate-ohlcv.js';
import type { OhlcvColumns } from '../../src/index.js';
import { issueCodes, pricedColumns, type SumColumn } from './support.js';

const T0 = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;
const DAY = 86_400_000;

const bars = (times: readonly number[], sums: Partial<Record<SumColumn, number[]>> = {}): OhlcvColumns => pricedColumns(times, { sums });

const minutes = (count: number, from = T0): number[] => Array.from({ length: count }, (_, i) => from + i * MINUTE);
const codes = issueCodes;

describe('aggregateOhlcv on inputs its one-pass check must refuse', () => {
  it('skips and reports a last bar at +Infinity, and infers the source from the others', () => {
    // Five 1m bars, then one without a finite time: it is skipped (`unsorted_timestamp`), the
    // others are 1m bars (steps of 1 minute), so their 5m bucket is complete and kept.
    const result = aggregateOhlcv(bars([...minutes(5), Number.POSITIVE_INFINITY]), '5m');
    expect(codes(result.issues)).toEqual([['unsorted_timestamp', 5]]);
    expect(result.bars.length).toBe(1);
    expect([result.bars.timestamp[0], result.bars.open[0], result.bars.high[0], result.bars.low[0], result.bars.close[0]]).toEqual([
      T0,
      10,
      14,
      10,
      14,
    ]);
    expect([result.bars.volume[0], result.bars.count?.[0]]).toEqual([5, 5]);
  });

  it('skips every bar of a series shifted 30 s off the 1m grid, each reported, though its steps are whole minutes', () => {
    const result = aggregateOhlcv(bars(minutes(10, T0 + 30_000)), '5m', { source: '1m', partialEnd: 'keep' });
    expect(result.bars.length).toBe(0);
    // Each bar, then the summary: all 10 are off the declared grid.
    expect(codes(result.issues)).toEqual([
      ...Array.from({ length: 10 }, (_, i): [string, number] => ['misaligned_timestamp', i]),
      ['source_timeframe_mismatch', -1],
    ]);
  });

  it('skips weekly bars that open on Sundays: 1W bars open on Mondays', () => {
    // 2024-01-07, 14 and 21 are Sundays (2024-01-01 is a Monday).
    const sundays = [7, 14, 21].map((d) => Date.UTC(2024, 0, d));
    const result = aggregateOhlcv(bars(sundays), '1W', { source: '1W', partialEnd: 'keep' });
    expect(result.bars.length).toBe(0);
    expect(codes(result.issues)).toEqual([
      ['misaligned_timestamp', 0],
      ['misaligned_timestamp', 1],
      ['misaligned_timestamp', 2],
      ['source_timeframe_mismatch', -1],
    ]);
    // The same bars a day later, on Mondays, are kept: one bar per week.
    const mondays = aggregateOhlcv(bars(sundays.map((t) => t + DAY)), '1W', { source: '1W', partialEnd: 'keep' });
    expect([...mondays.bars.timestamp]).toEqual(sundays.map((t) => t + DAY));
    expect(mondays.issues).toEqual([]);
  });

  it('builds two buckets from two bars 273,000 years apart (the output is sized by the bars, not by the span)', () => {
    const far = Date.UTC(275_000, 0, 1);
    const result = aggregateOhlcv(bars([T0, far]), '5m', { source: '1m', partialEnd: 'keep' });
    expect([...result.bars.timestamp]).toEqual([T0, far]);
    expect([...(result.bars.count ?? [])]).toEqual([1, 1]);
  });
});

describe('aggregateOhlcv’s optional columns through the kernel', () => {
  // Ten 1m bars, two 5m buckets: a column present on the input is summed per bucket (5 bars each).
  const sums = (values: readonly number[]): number[] => [0, 5].map((from) => values.slice(from, from + 5).reduce((s, v) => s + v, 0));
  const values = Array.from({ length: 10 }, (_, i) => i + 1);

  for (const key of ['quoteVolume', 'trades', 'takerBuyVolume'] as const) {
    it(`sums ${key} when it is the only optional column`, () => {
      const result = aggregateOhlcv(bars(minutes(10), { [key]: values }), '5m', { source: '1m' });
      expect([...(result.bars[key] ?? [])]).toEqual(sums(values));
      for (const other of ['quoteVolume', 'trades', 'takerBuyVolume'] as const)
        if (other !== key) expect(result.bars[other]).toBeUndefined();
    });
  }

  it('with provenance, a columns result holds synthetic = 0 when no source bar was synthetic', () => {
    // AggregateOptions.provenance: a 0 is left out of a row only; columns hold it.
    const result = aggregateOhlcv(bars(minutes(10)), '5m', { source: '1m', provenance: true });
    expect([...(result.bars.synthetic ?? [])]).toEqual([0, 0]);
  });

  it('with provenance, sums the synthetic column of an aggregated input that has no flags', () => {
    // Three 5m bars of five 1m bars each, 1, 0 and 2 of them synthetic: the 15m bar has 3 of 15.
    const fives = bars([T0, T0 + 5 * MINUTE, T0 + 10 * MINUTE], { count: [5, 5, 5], synthetic: [1, 0, 2] });
    const result = aggregateOhlcv(fives, '15m', { source: '5m', provenance: true });
    expect([...(result.bars.count ?? [])]).toEqual([15]);
    expect([...(result.bars.synthetic ?? [])]).toEqual([3]);
  });
});
