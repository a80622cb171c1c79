import { describe, expect, it } from 'vitest';
import type { OhlcvColumns } from '../../src/schemas/ohlcv-columns.js';
import { toRows } from '../../src/formats/to-rows.js';

const base = {
  timestamp: Float64Array.of(0, 60_000),
  open: Float64Array.of(1, 2),
  high: Float64Array.of(2, 3),
  low: Float64Array.of(0.5, 1),
  close: Float64Array.of(1.5, 2.5),
  volume: Float64Array.of(10, 20),
};

describe('toRows', () => {
  it('builds one bar per index with the six required fields', () => {
    expect(toRows({ length: 2, ...base })).toEqual([
      { timestamp: 0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 },
      { timestamp: 60_000, open: 2, high: 3, low: 1, close: 2.5, volume: 20 },
    ]);
  });

  it('reads only the first `length` entries', () => {
    expect(toRows({ length: 1, ...base })).toHaveLength(1);
  });

  it('leaves out optional fields that are NaN and flags that are 0', () => {
    const cols: OhlcvColumns = {
      length: 2,
      ...base,
      quoteVolume: Float64Array.of(Number.NaN, 50),
      trades: Float64Array.of(7, Number.NaN),
      takerBuyVolume: Float64Array.of(4, 9),
      flags: Uint8Array.of(0, 2),
      count: Float64Array.of(Number.NaN, 5),
    };
    const [first, second] = toRows(cols);
    expect(first).toEqual({ timestamp: 0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10, trades: 7, takerBuyVolume: 4 });
    expect(first).not.toHaveProperty('flag');
    expect(first).not.toHaveProperty('quoteVolume');
    expect(second).toEqual({
      timestamp: 60_000,
      open: 2,
      high: 3,
      low: 1,
      close: 2.5,
      volume: 20,
      quoteVolume: 50,
      takerBuyVolume: 9,
      flag: 'forward_filled',
      count: 5,
    });
  });

  it('returns rows unchanged', () => {
    const rows = [{ timestamp: 0, open: 1, high: 1, low: 1, close: 1, volume: 0 }];
    expect(toRows(rows)).toBe(rows);
  });

  it('does not mutate the columns', () => {
    const cols: OhlcvColumns = Object.freeze({ length: 2, ...base });
    const before = Array.from(cols.close);
    toRows(cols);
    expect(Array.from(cols.close)).toEqual(before);
  });
});
