import { describe, expect, it } from 'vitest';
import { TickAggregator } from '../../src/aggregate/tick-aggregator.js';
import type { Tick } from '../../src/schemas/tick.js';

const T0 = Date.UTC(2024, 0, 1);
const trade = (seconds: number, tradeId: number, price: number, quantity: number, side: 'buy' | 'sell'): Tick => ({
  timestamp: T0 + seconds * 1000,
  price,
  quantity,
  side,
  tradeId,
});

// The rules of `TickAggregator`'s TSDoc and of `AggregateIssueCode`: a trade older than the one
// before it, or repeating a trade id at the same timestamp, or of a closed bucket, is skipped.
describe('TickAggregator’s issues', () => {
  it('skips older, repeated and late trades, names them by add number, and builds the bar from the rest', () => {
    const aggregator = new TickAggregator({ timeframe: '1m' });
    aggregator.add(trade(5, 1, 10, 1, 'buy'));
    aggregator.add(trade(3, 9, 50, 5, 'buy'));
    // Another id at the same millisecond is a new trade; id 1 again is the same trade.
    aggregator.add(trade(5, 2, 12, 2, 'sell'));
    aggregator.add(trade(5, 1, 50, 5, 'buy'));
    // Ids 2 and 1 at a later millisecond are new trades.
    aggregator.add(trade(10, 2, 11, 1, 'sell'));
    aggregator.add(trade(10, 1, 9, 1, 'buy'));
    // open = first, high = max, low = min, close = last; volume 1 + 2 + 1 + 1; quote 10 + 24 + 11 + 9; taker buys 1 + 1.
    expect(aggregator.close(T0 + 60_000)).toEqual([
      { timestamp: T0, open: 10, high: 12, low: 9, close: 9, volume: 5, quoteVolume: 54, trades: 4, takerBuyVolume: 2 },
    ]);
    aggregator.add(trade(30, 3, 50, 5, 'buy'));
    // The bucket 00:01 was never closed: a trade at its start is taken.
    aggregator.add(trade(60, 4, 7, 1, 'sell'));
    expect(aggregator.current()).toEqual({
      timestamp: T0 + 60_000,
      open: 7,
      high: 7,
      low: 7,
      close: 7,
      volume: 1,
      quoteVolume: 7,
      trades: 1,
      takerBuyVolume: 0,
    });
    expect(aggregator.takeIssues()).toEqual([
      {
        code: 'unsorted_timestamp',
        path: [1],
        index: 1,
        timestamp: T0 + 3000,
        message: 'Trade 1 (2024-01-01T00:00:03.000Z) is older than the trade before it (2024-01-01T00:00:05.000Z); it is skipped',
      },
      {
        code: 'duplicate_trade',
        path: [3],
        index: 3,
        timestamp: T0 + 5000,
        message: 'Trade 3 repeats trade id 1 at 2024-01-01T00:00:05.000Z; it is skipped',
      },
      {
        code: 'late_bar',
        path: [6],
        index: 6,
        timestamp: T0 + 30_000,
        message: 'Trade 6 (2024-01-01T00:00:30.000Z) belongs to a 1m bucket already closed; it is skipped',
      },
    ]);
  });
});
