import { describe, expect, it } from 'vitest';
import { ticksToOhlcv } from '../../src/aggregate/ticks-to-ohlcv.js';
import type { Ohlcv, Tick } from '../../src/index.js';
import { ccxtTrades, describeFixtures, freqtradeBars } from '../support/fixtures.js';
import { ohlcvOnly, relDiff } from './support.js';

const T0 = Date.UTC(2024, 0, 1);
const tick = (ms: number, price: number, quantity: number, side: 'buy' | 'sell', tradeId: number): Tick => ({
  timestamp: T0 + ms,
  price,
  quantity,
  side,
  tradeId,
});

describe('ticksToOhlcv', () => {
  const ticks = [tick(1_000, 10, 2, 'buy', 1), tick(30_000, 12, 1, 'sell', 2), tick(61_000, 11, 3, 'buy', 3)];

  it('drops the last bucket as possibly in progress unless `until` covers it', () => {
    const open = ticksToOhlcv(ticks, '1m');
    expect(open.bars.map((b) => b.timestamp)).toEqual([T0]);
    expect(open.issues).toMatchObject([{ code: 'partial_bucket_dropped', timestamp: T0 + 60_000 }]);
    const closed = ticksToOhlcv(ticks, '1m', { until: T0 + 120_000 });
    expect(closed.bars.map((b) => b.timestamp)).toEqual([T0, T0 + 60_000]);
    expect(closed.partial).toEqual({ first: false, last: false });
  });

  it('keeps the last bucket, marked partial, on request', () => {
    const kept = ticksToOhlcv(ticks, '1m', { partialEnd: 'keep' });
    expect(kept.partial.last).toBe(true);
    // Worked by hand: 20 + 12 = 32 quote; taker buys 2.
    expect(kept.bars[0]).toEqual({
      timestamp: T0,
      open: 10,
      high: 12,
      low: 10,
      close: 12,
      volume: 3,
      quoteVolume: 32,
      trades: 2,
      takerBuyVolume: 2,
    });
  });

  it('does not mutate its input', () => {
    const frozen = Object.freeze(ticks.map((t) => Object.freeze({ ...t })));
    expect(() => ticksToOhlcv(frozen, '5m')).not.toThrow();
  });
});

describeFixtures('ticksToOhlcv on real Binance trades (XRP/ETH, 12,477 aggTrades)', () => {
  const trades = (): Tick[] => ccxtTrades('real/freqtrade/XRP_ETH-trades.json.gz');
  const check = (bars: readonly Ohlcv[], candles: readonly Ohlcv[], expected: number): void => {
    const byTs = new Map(candles.map((c) => [c.timestamp, c]));
    expect(bars).toHaveLength(expected);
    for (const bar of bars) {
      const candle = byTs.get(bar.timestamp) as Ohlcv;
      expect(ohlcvOnly(bar)).toEqual(ohlcvOnly(candle));
      expect(relDiff(bar.volume, candle.volume)).toBeLessThanOrEqual(1e-9);
    }
  };

  it("matches every one of the exchange's 2,469 1m candles that had trades", () => {
    // The 1m file ends with the 11:19 candle, so the trades are complete until 11:20.
    const result = ticksToOhlcv(trades(), '1m', { until: Date.UTC(2019, 9, 13, 11, 20) });
    expect(result.issues).toEqual([]);
    check(result.bars, freqtradeBars('real/freqtrade/XRP_ETH-1m.json'), 2469);
  });

  it("matches every one of the exchange's 706 5m candles that had trades", () => {
    const result = ticksToOhlcv(trades(), '5m', { until: Date.UTC(2019, 9, 13, 11, 20) });
    check(result.bars, freqtradeBars('real/freqtrade/XRP_ETH-5m.json'), 706);
  });

  it('leaves out the last 5m bucket when the end of the trades is not known', () => {
    const result = ticksToOhlcv(trades(), '5m');
    expect(result.bars).toHaveLength(705);
    expect(result.issues.map((i) => i.code)).toEqual(['partial_bucket_dropped']);
  });

  it('conserves volume and counts every trade', () => {
    const all = trades();
    const { bars } = ticksToOhlcv(all, '1H', { partialEnd: 'keep' });
    expect(bars.reduce((s, b) => s + (b.trades ?? 0), 0)).toBe(12_477);
    expect(
      relDiff(
        bars.reduce((s, b) => s + b.volume, 0),
        all.reduce((s, t) => s + t.quantity, 0),
      ),
    ).toBeLessThanOrEqual(1e-12);
  });
});
