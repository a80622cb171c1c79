import { describe, expect, it } from 'vitest';
import { aggregateOhlcv } from '../../src/aggregate/aggregate-ohlcv.js';
import { OhlcvAggregator } from '../../src/aggregate/ohlcv-aggregator.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';

const T0 = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;

// A traded bar is one with volume above zero that is NOT synthetic (`aggregateOhlcv`'s TSDoc;
// `OhlcvAggregator`: "as in aggregateOhlcv"). A synthetic bar that carries volume anyway must
// not set the open, high or low of a bucket that has a traded bar, nor its close.
describe.each(['interpolated', 'forward_filled'] as const)('a %s bar with volume, in the streaming aggregator', (flag) => {
  const real: Ohlcv = { timestamp: T0, open: 1, high: 2, low: 1, close: 1.5, volume: 1 };
  const synthetic: Ohlcv = { timestamp: T0 + MINUTE, open: 1.5, high: 9, low: 0.5, close: 8, volume: 3, flag };
  // Open, high, low and close of the real bar; volumes 1 + 3; a bucket with a traded bar is real (no flag).
  const expected: Ohlcv = { timestamp: T0, open: 1, high: 2, low: 1, close: 1.5, volume: 4, count: 2 };

  it('does not set the bucket’s open, high, low or close', () => {
    const aggregator = new OhlcvAggregator({ source: '1m', target: '5m' });
    aggregator.add(real);
    aggregator.add(synthetic);
    expect(aggregator.close(T0 + 5 * MINUTE)).toEqual([expected]);
    expect(aggregateOhlcv([real, synthetic], '5m', { source: '1m', partialEnd: 'keep' }).bars).toEqual([expected]);
  });
});
