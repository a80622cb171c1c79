import { describe, expect, it } from 'vitest';
import { ticksToOhlcv } from '../../src/aggregate/ticks-to-ohlcv.js';
import type { Tick } from '../../src/schemas/tick.js';

const T0 = Date.UTC(2024, 0, 1);
const trade = (seconds: number, tradeId: number, price: number): Tick => ({
  timestamp: T0 + seconds * 1000,
  price,
  quantity: 1,
  side: 'buy',
  tradeId,
});

// `ticksToOhlcv`'s TSDoc: without `until` the last bucket may still be in progress, so it is
// dropped by default (`partialEnd: 'keep'` keeps it and flags `partial.last`).
describe('ticksToOhlcv’s last bucket', () => {
  it('drops the bucket that may still be in progress, and says to pass `until`', () => {
    const result = ticksToOhlcv([trade(5, 1, 10), trade(65, 2, 11)], '1m');
    expect(result.bars.map((bar) => [bar.timestamp, bar.close])).toEqual([[T0, 10]]);
    expect(result.partial).toEqual({ first: false, last: false });
    expect(result.issues).toEqual([
      {
        code: 'partial_bucket_dropped',
        path: [],
        index: -1,
        timestamp: T0 + 60_000,
        message: 'The 1m bucket at 2024-01-01T00:01:00.000Z may still be in progress (pass `until`); it is dropped',
      },
    ]);
  });
});
