import { describe, expect, it } from 'vitest';
import { OhlcvAggregator } from '../../src/aggregate/ohlcv-aggregator.js';
import { isConfigError } from '../../src/errors/config-error.js';
import type { Ohlcv } from '../../src/index.js';
import { describeFixtures, freqtradeBars } from '../support/fixtures.js';
import { ohlcvOnly } from './support.js';

const T0 = Date.UTC(2024, 0, 1);
const bar = (m: number, close: number, volume = 1): Ohlcv => ({
  timestamp: T0 + m * 60_000,
  open: close,
  high: close + 1,
  low: close - 1,
  close,
  volume,
});

describe('OhlcvAggregator', () => {
  it('emits a bucket as soon as its last source bar arrives', () => {
    const agg = new OhlcvAggregator({ source: '1m', target: '5m' });
    expect([0, 1, 2, 3].flatMap((m) => agg.add(bar(m, 10 + m)))).toEqual([]);
    expect(agg.add(bar(4, 14))).toEqual([{ timestamp: T0, open: 10, high: 15, low: 9, close: 14, volume: 5, count: 5 }]);
    expect(agg.current()).toBeUndefined();
  });

  it('emits the forming bucket when a bar of a later bucket arrives', () => {
    const agg = new OhlcvAggregator({ source: '1m', target: '5m' });
    agg.add(bar(1, 10));
    expect(agg.current()).toMatchObject({ timestamp: T0, count: 1 });
    expect(agg.add(bar(7, 20))).toEqual([{ timestamp: T0, open: 10, high: 11, low: 9, close: 10, volume: 1, count: 1 }]);
    expect(agg.current()).toMatchObject({ timestamp: T0 + 300_000, close: 20 });
  });

  it('puts provenance on its bars when asked: filled minutes, and minutes missing or still to come', () => {
    // 5m bucket 00:00: :01 real, :02 forward-filled, :00, :03 and :04 absent (2 present, 3 missing).
    const agg = new OhlcvAggregator({ source: '1m', target: '5m', provenance: true });
    agg.add(bar(1, 10));
    agg.add({ ...bar(2, 10), volume: 0, flag: 'forward_filled' });
    expect(agg.current()).toMatchObject({ count: 2, synthetic: 1, missing: 3 });
    expect(agg.add(bar(7, 20))).toEqual([expect.objectContaining({ timestamp: T0, count: 2, synthetic: 1, missing: 3 })]);
    // A whole bucket of real bars has neither field.
    const whole = new OhlcvAggregator({ source: '1m', target: '5m', provenance: true });
    const [done] = [0, 1, 2, 3, 4].flatMap((m) => whole.add(bar(m, 10)));
    expect(done).not.toHaveProperty('synthetic');
    expect(done).not.toHaveProperty('missing');
  });

  it('closes a bucket with close(now) only once now reaches its end', () => {
    const agg = new OhlcvAggregator({ source: '1m', target: '15m' });
    agg.add(bar(3, 10));
    expect(agg.close(T0 + 14 * 60_000 + 59_999)).toEqual([]);
    expect(agg.close(T0 + 15 * 60_000)).toHaveLength(1);
    expect(agg.current()).toBeUndefined();
  });

  it('reports late, duplicate, older and off-grid bars instead of merging them', () => {
    const agg = new OhlcvAggregator({ source: '1m', target: '15m' });
    agg.add(bar(3, 10));
    agg.add(bar(3, 99));
    agg.add(bar(2, 99));
    agg.add({ ...bar(4, 99), timestamp: T0 + 4 * 60_000 + 1 });
    agg.close(T0 + 15 * 60_000);
    agg.add(bar(14, 99));
    expect(agg.takeIssues().map((i) => [i.code, i.index])).toEqual([
      ['duplicate_timestamp', 1],
      ['unsorted_timestamp', 2],
      ['misaligned_timestamp', 3],
      ['late_bar', 4],
    ]);
    expect(agg.takeIssues()).toEqual([]);
    expect(agg.current()).toBeUndefined();
  });

  it('drops a leading partial bucket on request and says so', () => {
    const agg = new OhlcvAggregator({ source: '1m', target: '5m', partialStart: 'drop' });
    expect([3, 4, 5, 6, 7, 8, 9].flatMap((m) => agg.add(bar(m, m)))).toMatchObject([{ timestamp: T0 + 300_000, count: 5 }]);
    expect(agg.takeIssues()).toMatchObject([{ code: 'partial_bucket_dropped', timestamp: T0 }]);
  });

  it('throws a ConfigError for a target the source does not divide', () => {
    let error: unknown;
    try {
      new OhlcvAggregator({ source: '3m', target: '5m' });
    } catch (caught) {
      error = caught;
    }
    expect(isConfigError(error)).toBe(true);
  });

  it('does not mutate the bars it is given', () => {
    const agg = new OhlcvAggregator({ source: '1m', target: '5m' });
    expect(() => [0, 1, 2, 3, 4, 5].forEach((m) => agg.add(Object.freeze(bar(m, m))))).not.toThrow();
  });
});

describeFixtures('OhlcvAggregator on real exchange data', () => {
  it("streams Binance's 1m candles into its own 5m candles (XRP/ETH)", () => {
    const m1 = freqtradeBars('real/freqtrade/XRP_ETH-1m.json');
    const m5 = freqtradeBars('real/freqtrade/XRP_ETH-5m.json');
    const agg = new OhlcvAggregator({ source: '1m', target: '5m' });
    const out = m1.flatMap((b) => agg.add(b));
    expect(out.map(ohlcvOnly)).toEqual(m5.map(ohlcvOnly));
  });
});
