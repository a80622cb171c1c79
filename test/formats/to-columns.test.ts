import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import { toColumns } from '../../src/formats/to-columns.js';
import { toRows } from '../../src/formats/to-rows.js';
import { fromCcxtOhlcv } from '../../src/formats/from-ccxt-ohlcv.js';
import { validateOhlcv } from '../../src/validate/validate-ohlcv.js';
import { describeFixtures, readFixtureJson } from '../support/fixtures.js';

const bar = (timestamp: number, extra: Partial<Ohlcv> = {}): Ohlcv => ({
  timestamp,
  open: 1,
  high: 2,
  low: 0.5,
  close: 1.5,
  volume: 10,
  ...extra,
});

const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const arbitraryBar: fc.Arbitrary<Ohlcv> = fc.record(
  {
    timestamp: fc.integer({ min: 0, max: 4_102_444_800_000 }),
    open: finite,
    high: finite,
    low: finite,
    close: finite,
    volume: finite,
    quoteVolume: finite,
    trades: fc.nat(),
    takerBuyVolume: finite,
    flag: fc.constantFrom('interpolated' as const, 'forward_filled' as const, 'clipped' as const),
    count: fc.nat(),
  },
  { requiredKeys: ['timestamp', 'open', 'high', 'low', 'close', 'volume'] },
);

describe('toColumns', () => {
  it('puts each field in its own Float64Array of the series length', () => {
    const cols = toColumns([bar(0), bar(60_000, { close: 3, high: 3 })]);
    expect(cols.length).toBe(2);
    expect(cols.timestamp).toEqual(Float64Array.of(0, 60_000));
    expect(cols.close).toEqual(Float64Array.of(1.5, 3));
    expect(cols.high).toEqual(Float64Array.of(2, 3));
    expect(cols.volume).toBeInstanceOf(Float64Array);
  });

  it('omits optional columns that no row has', () => {
    const cols = toColumns([bar(0), bar(60_000)]);
    expect(cols.quoteVolume).toBeUndefined();
    expect(cols.trades).toBeUndefined();
    expect(cols.takerBuyVolume).toBeUndefined();
    expect(cols.flags).toBeUndefined();
    expect(cols.count).toBeUndefined();
  });

  it('keeps an optional column that only some rows have, with NaN where a row lacks it', () => {
    const cols = toColumns([bar(0, { quoteVolume: 15, trades: 4 }), bar(60_000, { flag: 'forward_filled' })]);
    expect(cols.quoteVolume).toEqual(Float64Array.of(15, Number.NaN));
    expect(cols.trades).toEqual(Float64Array.of(4, Number.NaN));
    expect(cols.flags).toEqual(Uint8Array.of(0, 2));
  });

  it('maps each flag to its BarFlagCode and count to the count column', () => {
    const cols = toColumns([
      bar(0, { flag: 'interpolated', count: 5 }),
      bar(60_000, { flag: 'clipped', count: 5 }),
      bar(120_000, { count: 4 }),
    ]);
    expect(cols.flags).toEqual(Uint8Array.of(1, 3, 0));
    expect(cols.count).toEqual(Float64Array.of(5, 5, 4));
  });

  it('returns columns unchanged', () => {
    const cols = toColumns([bar(0)]);
    expect(toColumns(cols)).toBe(cols);
  });

  it('handles an empty series', () => {
    const cols = toColumns([]);
    expect(cols.length).toBe(0);
    expect(cols.open).toHaveLength(0);
  });

  it('does not mutate its input', () => {
    const rows = Object.freeze([Object.freeze(bar(0, { trades: 3 })), Object.freeze(bar(60_000))]);
    expect(() => toColumns(rows)).not.toThrow();
    expect(rows[0]).toEqual(bar(0, { trades: 3 }));
  });

  const T = Date.UTC(2024, 0, 1);

  it('never invents a number: "100", null, true and [] become NaN, and validation refuses them as it refuses the rows (issue 16 item 13)', () => {
    // A Float64Array write converts: "100" → 100, null → 0, true → 1, [] → 0, so
    // validateOhlcv(toColumns(rows)) accepted rows that validateOhlcv(rows) refuses.
    for (const value of ['100', null, true, []]) {
      const rows = [bar(T), { ...bar(T + 60_000), open: value, quoteVolume: value }, bar(T + 120_000)] as unknown as Ohlcv[];
      const cols = toColumns(rows);
      expect(cols.open[1], JSON.stringify(value)).toBeNaN();
      // An optional field that is not a number is left out, as if the row lacked it.
      expect(cols.quoteVolume).toBeUndefined();
      const fromRows = validateOhlcv(rows);
      const fromColumns = validateOhlcv(cols);
      expect(fromRows.valid).toBe(false);
      expect(fromColumns.valid).toBe(false);
      expect(fromColumns.issues.map((i) => [i.rule, i.index])).toEqual(fromRows.issues.map((i) => [i.rule, i.index]));
      expect(fromColumns.issues.map((i) => [i.rule, i.index])).toEqual([['finite_values', 1]]);
    }
  });

  it('reads a row that is not an object (a hole, null) as a bar of NaN (issue 16 item 14)', () => {
    // A hole: index 1 is never set, so it is not in the array at all (reading it gives undefined).
    const holey = new Array<Ohlcv>(3);
    holey[0] = bar(T);
    holey[2] = bar(T + 120_000);
    for (const rows of [holey, [bar(T), null, bar(T + 120_000)] as unknown as Ohlcv[]]) {
      const cols = toColumns(rows);
      expect(cols.length).toBe(3);
      expect([cols.timestamp[1], cols.open[1], cols.volume[1]]).toEqual([Number.NaN, Number.NaN, Number.NaN]);
      expect(validateOhlcv(cols).issues.map((i) => [i.rule, i.index])).toEqual([['finite_values', 1]]);
    }
  });

  it('round-trips through toRows for any valid bars', () => {
    fc.assert(
      fc.property(fc.array(arbitraryBar, { maxLength: 30 }), (rows) => {
        expect(toRows(toColumns(rows))).toEqual(rows);
      }),
    );
  });
});

describeFixtures('toColumns on freqtrade data', () => {
  it('round-trips the 3,560 XRP/ETH 1m bars through columns and back', () => {
    const json = readFixtureJson('real/freqtrade/XRP_ETH-1m.json') as unknown[];
    const { rows, issues } = fromCcxtOhlcv(json);
    expect(issues).toEqual([]);
    expect(rows).toHaveLength(3560); // row count from fixtures/real/README.md
    const cols = toColumns(rows);
    expect(cols.length).toBe(3560);
    // First row of the file: [1570752000000, 0.00141342, 0.00141557, 0.00141266, 0.00141418, 1482.0]
    expect([cols.timestamp[0], cols.open[0], cols.high[0], cols.low[0], cols.close[0], cols.volume[0]]).toEqual([
      1570752000000, 0.00141342, 0.00141557, 0.00141266, 0.00141418, 1482,
    ]);
    expect(toRows(cols)).toEqual(rows);
  });
});
