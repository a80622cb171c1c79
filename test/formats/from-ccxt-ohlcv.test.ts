import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromCcxtOhlcv } from '../../src/formats/from-ccxt-ohlcv.js';
import { describeFixtures, readFixtureJson } from '../support/fixtures.js';

const T0 = Date.UTC(2025, 0, 30, 10, 29); // 1738232940000

describe('fromCcxtOhlcv', () => {
  it('reads [timestamp, open, high, low, close, volume] arrays into bars', () => {
    const { rows, issues } = fromCcxtOhlcv([[T0, 45050, 45080, 45020, 45060, 125.5]]);
    expect(issues).toEqual([]);
    expect(rows).toEqual([{ timestamp: T0, open: 45050, high: 45080, low: 45020, close: 45060, volume: 125.5 }]);
  });

  it('ignores entries after the sixth', () => {
    expect(fromCcxtOhlcv([[T0, 1, 2, 0.5, 1.5, 3, 'extra']]).rows).toEqual([
      { timestamp: T0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3 },
    ]);
  });

  it('keeps good rows and reports bad ones with their index and field', () => {
    const { rows, issues } = fromCcxtOhlcv([
      [T0, 1, 2, 0.5, 1.5, 3],
      [T0 + 60_000, 1, null, 0.5, 1.5, 3],
      'not a row',
      [T0 + 180_000, 1, 2],
      [T0 + 240_000, 1, 2, 0.5, Number.NaN, '3'],
      [T0 + 300_000, 1, 2, 0.5, 1.5, 3],
    ]);
    expect(rows.map((r) => r.timestamp)).toEqual([T0, T0 + 300_000]);
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['invalid_type', [1, 'high']],
      ['invalid_type', [2]],
      ['too_small', [3]],
      ['not_finite', [4, 'close']],
      ['invalid_type', [4, 'volume']],
    ]);
    expect(issues[0]?.message).toContain('null');
  });

  it('reports timestamps that are not integer ms in 1990–2100', () => {
    const { rows, issues } = fromCcxtOhlcv([
      [1738232940, 1, 1, 1, 1, 1], // seconds: implausible as ms (1970)
      [T0 + 0.5, 1, 1, 1, 1, 1],
      [String(T0), 1, 1, 1, 1, 1],
    ]);
    expect(rows).toEqual([]);
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['implausible_timestamp', [0, 'timestamp']],
      ['fractional_ms', [1, 'timestamp']],
      ['invalid_type', [2, 'timestamp']],
    ]);
  });

  it('turns -0 into 0', () => {
    const [bar] = fromCcxtOhlcv([[T0, 1, 1, 1, 1, -0]]).rows;
    expect(Object.is(bar?.volume, 0)).toBe(true);
  });

  it('returns one issue for input that is not an array', () => {
    expect(fromCcxtOhlcv({} as unknown as unknown[]).issues).toEqual([
      { code: 'invalid_type', path: [], message: 'Expected an array of OHLCV arrays, got an object' },
    ]);
  });

  it('never throws and accounts for every row', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.jsonValue(), fc.array(fc.jsonValue(), { minLength: 6, maxLength: 7 }))), (input) => {
        const { rows, issues, rejected } = fromCcxtOhlcv(input);
        const bad = new Set(issues.map((i) => i.path[0]));
        expect(rejected).toBe(bad.size);
        expect(rows.length + rejected).toBe(input.length);
      }),
    );
  });

  it('does not mutate its input', () => {
    const input = Object.freeze([Object.freeze([T0, 1, 2, 0.5, 1.5, 3])]);
    expect(fromCcxtOhlcv(input).rows).toHaveLength(1);
  });
});

describeFixtures('fromCcxtOhlcv on freqtrade data', () => {
  it('reads every bar of UNITTEST_BTC-1m.json', () => {
    const json = readFixtureJson('real/freqtrade/UNITTEST_BTC-1m.json') as unknown[];
    const { rows, issues } = fromCcxtOhlcv(json);
    expect(issues).toEqual([]);
    // 13,681 rows, 2017-11-04 23:02 → 2017-11-14 22:59 (fixtures/real/README.md)
    expect(rows).toHaveLength(13_681);
    expect(rows[0]?.timestamp).toBe(Date.UTC(2017, 10, 4, 23, 2));
    expect(rows.at(-1)?.timestamp).toBe(Date.UTC(2017, 10, 14, 22, 59));
  });

  it('reports the null volumes of mark-price candles', () => {
    // Mark-price candles have volume null in every row (fixtures/real/README.md).
    const json = readFixtureJson('real/freqtrade/futures/XRP_USDT_USDT-1h-mark.json') as unknown[];
    const { rows, issues } = fromCcxtOhlcv(json);
    expect(rows).toHaveLength(0);
    expect(issues).toHaveLength(100);
    expect(issues.filter((i) => !(i.path[1] === 'volume' && i.code === 'invalid_type'))).toEqual([]);
  });
});
