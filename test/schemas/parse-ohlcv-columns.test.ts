import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toColumns } from '../../src/formats/index.js';
import { parseOhlcv, parseOhlcvColumns } from '../../src/schemas/index.js';

const T = Date.UTC(2025, 0, 30, 10, 30);
const bar = { timestamp: T, open: 45050, high: 45080, low: 45020, close: 45060, volume: 125.5 } as const;

describe('parseOhlcvColumns', () => {
  it('reads the specification’s optional fields in its spelling: quote_volume, trades, taker_buy_volume', () => {
    // SPECIFICATION.md, OHLCV schema: 'quote_volume', 'trades', 'taker_buy_volume' (optional).
    const result = parseOhlcvColumns([{ ...bar, quote_volume: 5_654_000, trades: 12, taker_buy_volume: 60 }, bar]);
    expect(result.issues).toEqual([]);
    expect(Array.from(result.columns.quoteVolume ?? [])).toEqual([5_654_000, NaN]);
    expect(Array.from(result.columns.trades ?? [])).toEqual([12, NaN]);
    expect(Array.from(result.columns.takerBuyVolume ?? [])).toEqual([60, NaN]);
  });

  it('writes accepted rows into exactly-sized columns and reports the others', () => {
    const result = parseOhlcvColumns([bar, { ...bar, close: NaN }, { ...bar, timestamp: T + 60_000, open: -0 }]);
    expect(result.rejected).toBe(1);
    expect(result.issues.map((i) => [i.code, i.path])).toEqual([['not_finite', [1, 'close']]]);
    expect(result.columns.length).toBe(2);
    expect(Array.from(result.columns.timestamp)).toEqual([T, T + 60_000]);
    expect(result.columns.close).toHaveLength(2);
    expect(Object.is(result.columns.open[1], 0)).toBe(true);
    expect(result.columns.quoteVolume).toBeUndefined();
  });

  it('builds optional columns with NaN for rows that lack the field, and flag codes', () => {
    const { columns } = parseOhlcvColumns([
      { ...bar, quoteVolume: 10 },
      { ...bar, flag: 'forward_filled' },
    ]);
    expect(Array.from(columns.quoteVolume ?? [])).toEqual([10, Number.NaN]);
    expect(Array.from(columns.flags ?? [])).toEqual([0, 2]);
  });

  it('reports a non-array input at the empty path with empty columns', () => {
    const result = parseOhlcvColumns({ rows: [] });
    expect(result.columns.length).toBe(0);
    expect(result.issues.map((i) => i.path)).toEqual([[]]);
  });

  it('gives the same bars and issues as parseOhlcv followed by toColumns', () => {
    const value = fc.oneof(fc.double(), fc.constantFrom(null, undefined, '1.5', -0), fc.integer());
    const row = fc.record(
      {
        timestamp: fc.oneof(fc.integer({ min: T, max: T + 1e9 }), fc.constantFrom(T / 1000, '2025-01-30T10:30:00Z', null)),
        open: value,
        high: value,
        low: value,
        close: value,
        volume: value,
        quoteVolume: value,
        flag: fc.constantFrom(undefined, 'interpolated', 'clipped', 'bogus'),
      },
      { requiredKeys: ['timestamp', 'open', 'high', 'low', 'close', 'volume'] },
    );
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), fc.boolean(), (input, coerce) => {
        const byRows = parseOhlcv(input, { coerce });
        const byColumns = parseOhlcvColumns(input, { coerce });
        expect(byColumns.issues).toEqual(byRows.issues);
        expect(byColumns.rejected).toBe(byRows.rejected);
        expect(byColumns.columns).toEqual(toColumns(byRows.rows));
      }),
    );
  });
});
