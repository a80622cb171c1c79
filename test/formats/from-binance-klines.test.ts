import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBinanceKlines } from '../../src/formats/from-binance-klines.js';
import { describeFixtures, readFixture } from '../support/fixtures.js';

const KLINE = [
  '1637971200000',
  '0.00002853',
  '0.00002854',
  '0.00002851',
  '0.00002854',
  '36304.20000000',
  '1637971259999',
  '1.03547608',
  '79',
  '19523.00000000',
  '0.55694227',
  '0',
];

function csvRows(relative: string): string[][] {
  return readFixture(relative)
    .trim()
    .split('\n')
    .map((line) => line.trim().split(','));
}

describe('fromBinanceKlines', () => {
  it('reads a 12-column kline of strings, keeping quote volume, trades and taker buy volume', () => {
    const { rows, issues } = fromBinanceKlines([KLINE]);
    expect(issues).toEqual([]);
    expect(rows).toEqual([
      {
        timestamp: 1637971200000,
        open: 0.00002853,
        high: 0.00002854,
        low: 0.00002851,
        close: 0.00002854,
        volume: 36304.2,
        quoteVolume: 1.03547608,
        trades: 79,
        takerBuyVolume: 19523,
      },
    ]);
  });

  it('detects microsecond open times and converts them to ms', () => {
    const us = [`${KLINE[0]}000`, ...KLINE.slice(1)];
    expect(fromBinanceKlines([us]).rows[0]?.timestamp).toBe(1637971200000);
  });

  it('accepts JSON numbers and rows of only six columns', () => {
    expect(fromBinanceKlines([[1637971200000, 1, 2, 0.5, 1.5, 10]]).rows).toEqual([
      { timestamp: 1637971200000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 },
    ]);
  });

  it('leaves out blank optional columns', () => {
    const row = [...KLINE];
    row[7] = '';
    row[8] = '';
    const [bar] = fromBinanceKlines([row]).rows;
    expect(bar).not.toHaveProperty('quoteVolume');
    expect(bar).not.toHaveProperty('trades');
    expect(bar?.takerBuyVolume).toBe(19523);
  });

  it('reports strings that are not decimal numbers, with index and field', () => {
    const bad = (k: number, v: unknown): unknown[] => KLINE.map((x, i) => (i === k ? v : x));
    const { rows, issues } = fromBinanceKlines([bad(2, '0x10'), bad(4, ' '), KLINE, bad(8, '7.5'), bad(0, '42'), bad(3, 'NaN')]);
    expect(rows).toHaveLength(1);
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['invalid_number', [0, 'high']],
      ['invalid_number', [1, 'close']],
      ['invalid_value', [3, 'trades']],
      ['ambiguous_unit', [4, 'timestamp']],
      ['invalid_number', [5, 'low']],
    ]);
  });

  it('never throws and accounts for every row', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.jsonValue(), fc.array(fc.oneof(fc.string(), fc.double(), fc.constant(null)), { minLength: 5, maxLength: 12 })),
        ),
        (input) => {
          const { rows, issues, rejected } = fromBinanceKlines(input);
          expect(rejected).toBe(new Set(issues.map((i) => i.path[0])).size);
          expect(rows.length + rejected).toBe(input.length);
        },
      ),
    );
  });
});

describeFixtures('fromBinanceKlines on data.binance.vision CSV files', () => {
  it('reads the ADABTC 1m file of 2021-11-27 from midnight UTC, one bar a minute', () => {
    const lines = csvRows('real/nautilus_trader/ADABTC-1m-2021-11-27.csv');
    const { rows, issues } = fromBinanceKlines(lines);
    expect(issues).toEqual([]);
    expect(rows).toHaveLength(10); // fixtures/real/README.md: 10 rows
    expect(rows[0]?.timestamp).toBe(Date.UTC(2021, 10, 27));
    rows.forEach((bar, i) => {
      const line = lines[i] as string[];
      // close_time = open_time + 60000 - 1 (Binance's definition), so the open time is right.
      expect(bar.timestamp + 60_000 - 1).toBe(Number(line[6]));
      expect([bar.open, bar.high, bar.low, bar.close, bar.volume]).toEqual(line.slice(1, 6).map(Number));
      expect(bar.quoteVolume).toBe(Number(line[7]));
      expect(bar.trades).toBe(Number(line[8]));
      expect(bar.takerBuyVolume).toBe(Number(line[9]));
    });
  });

  it('gives the same bars when the open times are in microseconds (spot files from 2025)', () => {
    for (const file of ['ADABTC-1m-2021-11-27.csv', 'ADABTC-1m-2021-11-28.csv']) {
      const lines = csvRows(`real/nautilus_trader/${file}`);
      const micro = lines.map(([open = '', ...rest]) => [`${open}000`, ...rest]);
      const ms = fromBinanceKlines(lines);
      expect(fromBinanceKlines(micro)).toEqual(ms);
      expect(ms.rows.length).toBe(lines.length);
    }
  });
});
