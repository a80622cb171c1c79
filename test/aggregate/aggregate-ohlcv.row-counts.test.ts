import { describe, expect, it } from 'vitest';
import { aggregateOhlcv } from '../../src/aggregate/aggregate-ohlcv.js';

import { at } from './support.js';

// Rows' `count` (`rowsToCountedColumns`' and `aggregateOhlcv`'s TSDoc): a row WITHOUT `count`
// counts one source bar once another row has one; a row whose `count` is not a number has it, and
// "a field that is not a number is read as NaN, never converted", so the bucket's count is unknown.
describe('aggregateOhlcv on rows with and without `count`', () => {
  it('counts a row without `count` as one source bar', () => {
    const bars = aggregateOhlcv([at(0, { count: 2 }), at(1), at(2)], '5m', { source: '1m', partialEnd: 'keep' }).bars;
    expect(bars.map((b) => b.count)).toEqual([2 + 1 + 1]);
  });

  it.each([
    ['a string', '3'],
    ['NaN', Number.NaN],
  ])('does not count as one bar a row whose `count` is %s: the bucket’s count is left out', (_, count) => {
    const bars = aggregateOhlcv([at(0, { count: 2 }), at(1, { count }), at(2)], '5m', { source: '1m', partialEnd: 'keep' }).bars;
    expect(bars).toHaveLength(1);
    expect(bars[0]).not.toHaveProperty('count');
  });
});
