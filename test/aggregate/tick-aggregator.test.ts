import { describe, expect, it } from 'vitest';
import { TickAggregator } from '../../src/aggregate/tick-aggregator.js';
import type { Tick } from '../../src/index.js';

const T0 = Date.UTC(2024, 0, 1);
const tick = (ms: number, price: number, quantity: number, side: 'buy' | 'sell', tradeId: number): Tick => ({
  timestamp: T0 + ms,
  price,
  quantity,
  side,
  tradeId,
});

describe('TickAggregator', () => {
  it('sums quantity, taker-buy quantity, price × quantity and counts trades', () => {
    const agg = new TickAggregator({ timeframe: '1m' });
    agg.add(tick(1_000, 10, 2, 'buy', 1));
    agg.add(tick(2_000, 12, 1, 'sell', 2));
    agg.add(tick(2_000, 9, 4, 'buy', 3));
    // Worked by hand: volume 2 + 1 + 4 = 7; taker buys 2 + 4 = 6; quote 20 + 12 + 36 = 68.
    expect(agg.add(tick(60_000, 11, 1, 'sell', 4))).toEqual([
      { timestamp: T0, open: 10, high: 12, low: 9, close: 9, volume: 7, quoteVolume: 68, trades: 3, takerBuyVolume: 6 },
    ]);
  });

  it('produces no bar for a minute without trades', () => {
    const agg = new TickAggregator({ timeframe: '1m' });
    agg.add(tick(0, 1, 1, 'buy', 1));
    const out = agg.add(tick(185_000, 2, 1, 'buy', 2));
    expect(out.map((b) => b.timestamp)).toEqual([T0]);
    expect(agg.current()?.timestamp).toBe(T0 + 180_000);
  });

  it('skips repeated trade ids at one timestamp and older trades, and reports them', () => {
    const agg = new TickAggregator({ timeframe: '1m' });
    agg.add(tick(5_000, 10, 1, 'buy', 1));
    agg.add(tick(5_000, 10, 1, 'buy', 1));
    agg.add(tick(4_000, 10, 1, 'buy', 0));
    expect(agg.takeIssues().map((i) => i.code)).toEqual(['duplicate_trade', 'unsorted_timestamp']);
    expect(agg.current()).toMatchObject({ volume: 1, trades: 1 });
  });

  it('closes the forming bar with close(now) at its end and refuses later trades for it', () => {
    const agg = new TickAggregator({ timeframe: '5m' });
    agg.add(tick(10_000, 10, 1, 'buy', 1));
    expect(agg.close(T0 + 299_999)).toEqual([]);
    expect(agg.close(T0 + 300_000)).toHaveLength(1);
    agg.add(tick(20_000, 10, 1, 'buy', 2));
    expect(agg.takeIssues().map((i) => i.code)).toEqual(['late_bar']);
  });
});
