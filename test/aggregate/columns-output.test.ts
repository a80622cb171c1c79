import { describe, expect, it } from 'vitest';
import { aggregateOhlcv } from '../../src/aggregate/aggregate-ohlcv.js';
import { alignSources } from '../../src/aggregate/align-sources.js';
import { mergeSources } from '../../src/aggregate/merge-sources.js';
import { toColumns } from '../../src/formats/to-columns.js';

import { at } from './support.js';

// The shapes the TSDoc promises: optional fields a source lacks are absent on its rows and `NaN`
// in columns (mergeSources), a missing bar is `NaN` in every field of columns (alignSources),
// every column of a result is as long as `length`, and a row without `count` counts one bar.
describe('the columns of the aggregate functions’ results', () => {
  it('merges optional columns and flags that only one source has', () => {
    const primary = toColumns([at(0, { quoteVolume: 5, flag: 'clipped' }), at(2, { quoteVolume: 7 })]);
    const backup = toColumns([at(1)]);
    const merged = mergeSources(primary, backup);
    expect(Array.from(merged.origin)).toEqual([0, 1, 0]);
    expect(Array.from(merged.bars.quoteVolume ?? [])).toEqual([5, Number.NaN, 7]);
    expect(Array.from(merged.bars.flags ?? [])).toEqual([Array.from(primary.flags ?? [])[0], 0, 0]);
    expect(merged.bars.flags?.[0]).not.toBe(0);
  });

  it('adds no optional column and no flags that neither source has', () => {
    const merged = mergeSources(toColumns([at(0)]), toColumns([at(1)]));
    expect(Object.keys(merged.bars).sort()).toEqual(['close', 'high', 'length', 'low', 'open', 'timestamp', 'volume']);
  });

  it('keeps the optional fields and flags of a backup whose primary has none', () => {
    const merged = mergeSources([at(0)], [at(1, { trades: 4, flag: 'clipped' })]);
    expect(merged.bars).toEqual([at(0), at(1, { trades: 4, flag: 'clipped' })]);
  });

  it('puts NaN and flag 0 in every field of a missing bar on the grid', () => {
    const a = toColumns([at(0, { flag: 'clipped', trades: 3 }), at(2, { trades: 1 })]);
    const aligned = alignSources({ a }, '1m').series.a;
    expect(Array.from(aligned.close)).toEqual([1, Number.NaN, 1]);
    expect(Array.from(aligned.trades ?? [])).toEqual([3, Number.NaN, 1]);
    expect(Array.from(aligned.flags ?? [])).toEqual([Array.from(a.flags ?? [])[0], 0, 0]);
  });

  it('cuts every column of a result to its length when the partial last bucket is dropped', () => {
    // 5m buckets 00:00 (full) and 00:05 (only 00:05 and 00:06: dropped).
    const bars = [0, 1, 2, 3, 4, 5, 6].map((m) => at(m, m === 6 ? { trades: 1, flag: 'clipped' } : { trades: 1 }));
    const result = aggregateOhlcv(toColumns(bars), '5m', { source: '1m' });
    expect(result.bars.length).toBe(1);
    expect(result.bars.close).toHaveLength(1);
    expect(result.bars.trades).toHaveLength(1);
    expect(result.bars.flags).toHaveLength(1);
    expect(result.bars.count).toHaveLength(1);
  });

  it('counts a row without `count` as one bar when other rows have one', () => {
    const result = aggregateOhlcv([at(0, { count: 3 }), at(1), at(2), at(3), at(4, { count: 2 })], '5m', { source: '1m' });
    expect(result.bars.map((b) => b.count)).toEqual([8]);
  });
});
