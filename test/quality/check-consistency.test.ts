import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { checkConsistency } from '../../src/quality/check-consistency.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import { describeFixtures, freqtradeBars } from '../support/fixtures.js';

const T0 = Date.UTC(2025, 0, 30, 10, 0);
const MIN = 60_000;
const bar = (timestamp: number, close = 100, volume = 5): Ohlcv => ({
  timestamp,
  open: 100,
  high: Math.max(100, close),
  low: Math.min(100, close),
  close,
  volume,
});

describe('checkConsistency', () => {
  it('checks alignment once per bar', () => {
    const result = checkConsistency([bar(T0), bar(T0 + MIN + 17), bar(T0 + 2 * MIN)], { timeframe: '1m', symbol: 'BTCUSD' });
    expect(result).toMatchObject({ checks: 3, passed: 2, misaligned: 1, compared: 0 });
    expect(result.score).toBeCloseTo(2 / 3, 12);
    expect(result.issues).toEqual([
      {
        type: 'invalid_bar',
        rule: 'timestamp_aligned',
        severity: 'warning',
        symbol: 'BTCUSD',
        timeframe: '1m',
        timestamp: T0 + MIN + 17,
        endTimestamp: T0 + MIN + 17,
        count: 1,
        message: '1 bar is not aligned to the 1m grid',
      },
    ]);
  });

  it('accepts identical duplicates and fails conflicting ones, in any order', () => {
    const result = checkConsistency([bar(T0 + MIN), bar(T0), bar(T0 + MIN), bar(T0, 101)], { timeframe: '1m' });
    // 4 alignment checks + 2 duplicate checks; the duplicate at T0 differs in close.
    expect(result).toMatchObject({ checks: 6, passed: 5, duplicates: 2, conflictingDuplicates: 1 });
    expect(result.issues.map((i) => [i.type, i.rule, i.timestamp])).toEqual([['duplicate_bar', 'conflicting_duplicate', T0]]);
  });

  it('compares with another source within the relative tolerance', () => {
    const ours = [bar(T0, 100), bar(T0 + MIN, 100), bar(T0 + 2 * MIN, 100)];
    // +0.05 % agrees (tolerance 0.1 %), +1 % does not; the reference lacks 10:02.
    const theirs = [bar(T0 + MIN, 101), bar(T0, 100.05)];
    const result = checkConsistency(ours, {
      timeframe: '1m',
      reference: { kind: 'source', bars: theirs, name: 'kraken', fields: ['close'] },
    });
    expect(result).toMatchObject({ compared: 2, checks: 5, passed: 4 });
    expect(result.disagreements).toEqual([
      { index: 1, timestamp: T0 + MIN, differences: [{ field: 'close', value: 100, reference: 101, relativeDifference: 1 / 101 }] },
    ]);
    expect(result.issues[0]).toMatchObject({ type: 'inconsistent_source', rule: 'reference_mismatch', count: 1 });
    expect(result.issues[0]?.message).toContain('kraken');
    expect(
      checkConsistency(ours, { timeframe: '1m', reference: { kind: 'source', bars: theirs }, config: { relativeTolerance: 0.02 } })
        .disagreements,
    ).toEqual([]);
  });

  it('compares a higher timeframe with the aggregate of its base bars, only where they cover a whole bucket', () => {
    // Base 1m bars 10:00–10:06; 5m bars at 10:00 (covered) and 10:05 (only two of five minutes).
    const base = [0, 1, 2, 3, 4, 5, 6].map((m) => ({
      timestamp: T0 + m * MIN,
      open: 10 + m,
      high: 20 + m,
      low: 5 + m,
      close: 11 + m,
      volume: 1,
    }));
    const five = [
      { timestamp: T0, open: 10, high: 24, low: 5, close: 15, volume: 5 },
      { timestamp: T0 + 5 * MIN, open: 0, high: 0, low: 0, close: 0, volume: 0 },
    ];
    const result = checkConsistency(five, { timeframe: '5m', reference: { kind: 'base', bars: base, timeframe: '1m' } });
    expect(result).toMatchObject({ compared: 1, disagreements: [], score: 1 });
  });

  it('ignores zero-volume filler bars when building an aggregate with trades', () => {
    // Binance: a filler minute carries the previous close and adds no price to the candle.
    // The bucket opens with a filler at the previous close 8; a naive aggregate would give open 8 and low 8.
    const base = [
      { timestamp: T0, open: 8, high: 8, low: 8, close: 8, volume: 0 },
      { timestamp: T0 + MIN, open: 10, high: 12, low: 9, close: 11, volume: 3 },
      { timestamp: T0 + 2 * MIN, open: 11.5, high: 13, low: 11.2, close: 12, volume: 2 },
    ];
    const three = [{ timestamp: T0, open: 10, high: 13, low: 9, close: 12, volume: 5 }];
    expect(checkConsistency(three, { timeframe: '3m', reference: { kind: 'base', bars: base, timeframe: '1m' } })).toMatchObject({
      compared: 1,
      disagreements: [],
    });
  });

  it('scores an empty series 0 and stays finite on bad timestamps', () => {
    expect(checkConsistency([], { timeframe: '1m' }).score).toBe(0);
    const result = checkConsistency([bar(Number.NaN), bar(1_738_231_200)], { timeframe: '1m' });
    expect(result).toMatchObject({ checks: 1, misaligned: 1, score: 0 });
  });

  it('does not modify its inputs', () => {
    const ours = Object.freeze([bar(T0), bar(T0)].map((b) => Object.freeze(b)));
    const ref = Object.freeze([Object.freeze(bar(T0, 99))]);
    expect(checkConsistency(ours, { timeframe: '1m', reference: { kind: 'source', bars: ref } }).compared).toBe(1);
  });

  it('throws ConfigError for a base timeframe that does not nest, bad fields or a bad tolerance', () => {
    for (const run of [
      () => checkConsistency([], { timeframe: '5m', reference: { kind: 'base', bars: [], timeframe: '3m' } }),
      () => checkConsistency([], { timeframe: '1M', reference: { kind: 'base', bars: [], timeframe: '1W' } }),
      () => checkConsistency([], { timeframe: '5m', reference: { kind: 'source', bars: [], fields: ['vwap' as never] } }),
      () => checkConsistency([], { timeframe: '5m', config: { relativeTolerance: -1 } }),
      () => checkConsistency([], { timeframe: '5m', reference: { kind: 'other' } as never }),
    ]) {
      let error: unknown;
      try {
        run();
      } catch (caught) {
        error = caught;
      }
      expect(isConfigError(error)).toBe(true);
    }
  });
});

describeFixtures('checkConsistency on real data', () => {
  it('finds the one in-progress 30m candle of UNITTEST_BTC against its own 5m bars (README: 111 of 112 equal)', () => {
    const result = checkConsistency(freqtradeBars('real/freqtrade/UNITTEST_BTC-30m.json'), {
      timeframe: '30m',
      reference: { kind: 'base', bars: freqtradeBars('real/freqtrade/UNITTEST_BTC-5m.json'), timeframe: '5m' },
    });
    expect(result.compared).toBe(112);
    expect(result.disagreements).toHaveLength(1);
    const last = result.disagreements[0];
    expect(last?.timestamp).toBe(Date.UTC(2018, 0, 12, 12, 30));
    // "its close is 0.0888 where the aggregate gives 0.09098, and its volume is 902.6 where the aggregate gives 5049.8"
    expect(last?.differences.find((d) => d.field === 'close')).toMatchObject({ value: 0.0888 });
    expect(last?.differences.find((d) => d.field === 'close')?.reference).toBeCloseTo(0.09098, 5);
    expect(last?.differences.find((d) => d.field === 'volume')?.reference).toBeCloseTo(5049.8, 1);
  });

  it('matches all 712 Binance XRP_ETH 5m bars with the 1m aggregate once fillers add no price (README)', () => {
    const result = checkConsistency(freqtradeBars('real/freqtrade/XRP_ETH-5m.json'), {
      timeframe: '5m',
      reference: { kind: 'base', bars: freqtradeBars('real/freqtrade/XRP_ETH-1m.json'), timeframe: '1m' },
      config: { relativeTolerance: 0 },
    });
    expect(result).toMatchObject({ compared: 712, disagreements: [], score: 1 });
  });

  it('finds the 59 funding-rate timestamps off the 8H grid', () => {
    const result = checkConsistency(freqtradeBars('real/freqtrade/futures/XRP_USDT_USDT-8h-funding_rate.json'), { timeframe: '8H' });
    expect(result).toMatchObject({ checks: 91, misaligned: 59 });
    expect(result.score).toBeCloseTo(32 / 91, 12);
  });
});
