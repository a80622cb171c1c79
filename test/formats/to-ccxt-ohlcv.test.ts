import { describe, expect, it } from 'vitest';
import { toCcxtOhlcv } from '../../src/formats/to-ccxt-ohlcv.js';
import { fromCcxtOhlcv } from '../../src/formats/from-ccxt-ohlcv.js';
import { toColumns } from '../../src/formats/to-columns.js';
import { describeFixtures, readFixtureJson } from '../support/fixtures.js';

const rows = [
  { timestamp: 1570752000000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10, trades: 3, flag: 'clipped' as const },
  { timestamp: 1570752060000, open: 1.5, high: 1.5, low: 1.5, close: 1.5, volume: 0 },
];

describe('toCcxtOhlcv', () => {
  it('writes rows as [timestamp, open, high, low, close, volume] without optional fields', () => {
    expect(toCcxtOhlcv(rows)).toEqual([
      [1570752000000, 1, 2, 0.5, 1.5, 10],
      [1570752060000, 1.5, 1.5, 1.5, 1.5, 0],
    ]);
  });

  it('writes columns the same way as rows', () => {
    expect(toCcxtOhlcv(toColumns(rows))).toEqual(toCcxtOhlcv(rows));
  });

  it('returns plain arrays that JSON-serialise like ccxt data', () => {
    expect(JSON.stringify(toCcxtOhlcv(rows.slice(1)))).toBe('[[1570752060000,1.5,1.5,1.5,1.5,0]]');
  });
});

describeFixtures('toCcxtOhlcv on freqtrade data', () => {
  it('reproduces the freqtrade file it was read from', () => {
    const json = readFixtureJson('real/freqtrade/XRP_ETH-5m.json') as unknown[];
    expect(toCcxtOhlcv(fromCcxtOhlcv(json).rows)).toEqual(json);
  });
});
