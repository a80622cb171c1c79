import { describe, expect, it } from 'vitest';
import { buildOrderBookSummary } from '../../src/reports/build-order-book-summary.js';
import { OrderBookSummarySchema } from '../../src/schemas/order-book-summary-schema.js';

const T0 = Date.UTC(2025, 0, 30);
const options = { symbol: 'BTCUSD', source: 'exchange_api', band: 0.001 };

describe('buildOrderBookSummary', () => {
  it('sums the quantity within the band of mid on each side', () => {
    // mid = (45000 + 45010) / 2 = 45005; spread 10 = 10 / 45005 × 10,000 ≈ 2.222 bps;
    // the 0.1 % band is [44959.995, 45050.005]: bids 1 + 2 (44900 outside), asks 3 (45100 outside).
    const book = Object.freeze({
      timestamp: T0,
      depthLevels: 3,
      bids: Object.freeze([
        { price: 45000, quantity: 1 },
        { price: 44960, quantity: 2 },
        { price: 44900, quantity: 4 },
      ]),
      asks: Object.freeze([
        { price: 45010, quantity: 3 },
        { price: 45100, quantity: 5 },
      ]),
    });
    const summary = OrderBookSummarySchema.parse(buildOrderBookSummary(book, options));
    expect(summary).toMatchObject({ mid: 45005, spread: 10, bid_depth: 3, ask_depth: 3, bid_levels: 3, ask_levels: 2 });
    expect(summary.spread_bps).toBeCloseTo((10 / 45005) * 10_000, 12);
  });

  it('gives no mid, spread or depth for a one-sided book', () => {
    const summary = buildOrderBookSummary({ timestamp: T0, bids: [{ price: 1, quantity: 1 }], asks: [] }, options);
    expect(summary).toMatchObject({
      best_bid: 1,
      best_ask: null,
      mid: null,
      spread: null,
      spread_bps: null,
      bid_depth: null,
      ask_depth: null,
    });
  });
});
