import { describe, expect, it } from 'vitest';
import { aggregateOhlcv } from '../../src/aggregate/aggregate-ohlcv.js';
import { toColumns } from '../../src/formats/to-columns.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';

const T0 = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;
const at = (timestamp: number, extra: Partial<Ohlcv> = {}): Ohlcv => ({
  timestamp,
  open: 1,
  high: 1,
  low: 1,
  close: 1,
  volume: 1,
  ...extra,
});
const day = (month: number, date: number, extra: Partial<Ohlcv> = {}): Ohlcv => at(Date.UTC(2024, month, date), extra);

// `AggregateOptions.provenance`'s TSDoc: `missing` is the bucket's width in source bars minus
// `count`, both in the units of the input's own counts; a 0 is left out.
describe('aggregateOhlcv’s missing bars', () => {
  it('counts in the units of the input’s counts', () => {
    // Two 5m bars of 1m bars, each with 4 that came and 1 missing: the 15m bucket has 15 − 8 = 7 missing.
    const bars = [at(T0, { count: 4, missing: 1 }), at(T0 + 5 * MINUTE, { count: 4, missing: 1 })];
    const result = aggregateOhlcv(toColumns(bars), '15m', { source: '5m', provenance: true, partialEnd: 'keep' });
    expect(Array.from(result.bars.count ?? [])).toEqual([8]);
    expect(Array.from(result.bars.missing ?? [])).toEqual([7]);
  });

  it('measures a month in days of its own length', () => {
    // January 2024 (31 days) without the 15th; February 2024 (29 days) with only the 1st.
    const january = Array.from({ length: 31 }, (_, k) => k + 1).filter((d) => d !== 15);
    const bars = [...january.map((d) => day(0, d)), day(1, 1)];
    const result = aggregateOhlcv(bars, '1M', { source: '1D', provenance: true, partialEnd: 'keep' });
    expect(result.bars.map((b) => [b.timestamp, b.count, b.missing])).toEqual([
      [Date.UTC(2024, 0, 1), 30, 1],
      [Date.UTC(2024, 1, 1), 1, 28],
    ]);
  });

  it('measures a month in the units of the input’s counts', () => {
    // Daily bars of two 12H bars each, January without the 15th: 31 × 2 − 30 × 2 = 2 missing.
    const january = Array.from({ length: 31 }, (_, k) => k + 1).filter((d) => d !== 15);
    const result = aggregateOhlcv(
      january.map((d) => day(0, d, { count: 2 })),
      '1M',
      { source: '1D', provenance: true },
    );
    expect(result.bars.map((b) => [b.count, b.missing])).toEqual([[60, 2]]);
  });

  it('finds nothing missing in month bars aggregated to months', () => {
    const result = aggregateOhlcv([day(0, 1), day(1, 1)], '1M', { source: '1M', provenance: true });
    expect(result.bars.map((b) => b.missing)).toEqual([undefined, undefined]);
    expect(result.bars.map((b) => b.count)).toEqual([1, 1]);
    // Columns hold the 0 that rows leave out.
    const columns = aggregateOhlcv(toColumns([day(0, 1), day(1, 1)]), '1M', { source: '1M', provenance: true });
    expect(Array.from(columns.bars.missing ?? [])).toEqual([0, 0]);
  });
});
