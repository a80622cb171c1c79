import { describe, expect, it } from 'vitest';
import { aggregateOhlcv } from '../../src/aggregate/aggregate-ohlcv.js';
import { OhlcvAggregator } from '../../src/aggregate/ohlcv-aggregator.js';

import { at, MINUTE, T0 } from './support.js';

// Provenance's `missing` counts source bars in the units of the input's counts: one input bar
// stands for the LARGEST `count + missing` among the input's bars (`unitsPerBar`' and
// `BucketState`'s TSDoc), not the last one's. A 5m bar of five 1m bars, then one that holds only
// three (its `missing` not given): the 15m bucket is 3 × 5 = 15 source bars wide, 8 came, 7 did not.
describe('provenance with input bars of unequal counts', () => {
  const bars = [at(0, { count: 5 }), at(5, { count: 3 })];

  it('aggregateOhlcv takes the largest count as the bars one input bar stands for', () => {
    const result = aggregateOhlcv(bars, '15m', { source: '5m', provenance: true, partialEnd: 'keep' });
    expect(result.bars).toMatchObject([{ timestamp: T0, count: 8, missing: 7 }]);
  });

  it('OhlcvAggregator does the same', () => {
    const aggregator = new OhlcvAggregator({ source: '5m', target: '15m', provenance: true });
    for (const bar of bars) aggregator.add(bar);
    expect(aggregator.close(T0 + 15 * MINUTE)).toMatchObject([{ timestamp: T0, count: 8, missing: 7 }]);
  });

  it('reads only the first `length` counts of a columns input', () => {
    // The count array backs one more value (9) than `length`: it is not a bar and must not count.
    const columns = {
      length: 2,
      timestamp: Float64Array.of(T0, T0 + 5 * MINUTE),
      open: Float64Array.of(1, 1),
      high: Float64Array.of(1, 1),
      low: Float64Array.of(1, 1),
      close: Float64Array.of(1, 1),
      volume: Float64Array.of(1, 1),
      count: Float64Array.of(5, 5, 9),
    };
    const result = aggregateOhlcv(columns, '15m', { source: '5m', provenance: true, partialEnd: 'keep' });
    // 3 × 5 source bars wide, 10 came.
    expect(Array.from(result.bars.count ?? [])).toEqual([10]);
    expect(Array.from(result.bars.missing ?? [])).toEqual([5]);
  });
});
