import { isoUtc } from '../internal/iso-utc.js';
import type { BookLevel } from '../schemas/order-book.js';
import type { OrderBookSummary } from '../schemas/order-book-summary-schema.js';

/** Options of {@link buildOrderBookSummary}. */
export interface OrderBookSummaryOptions {
  /** The symbol. */
  readonly symbol: string;
  /** The source the snapshot came from. */
  readonly source: string;
  /** The depth band, a fraction of mid (0.01 = within 1 % of mid). */
  readonly band: number;
}

/**
 * The `order_book` document of a validated snapshot (sorted, uncrossed — see
 * `validateOrderBook`): top of book, mid, spread (in price units and basis points of mid), and
 * the quantity resting within `band` of mid on each side. Pure; `book` is not modified.
 *
 * @param book - The snapshot (its time, and each side best first); not modified.
 * @param options - See {@link OrderBookSummaryOptions}.
 *
 * @example
 * ```ts
 * buildOrderBookSummary({ timestamp: Date.UTC(2025, 0, 30),
 *   bids: [{ price: 99.5, quantity: 2 }, { price: 98, quantity: 5 }],
 *   asks: [{ price: 100.5, quantity: 1 }, { price: 102, quantity: 4 }] },
 *   { symbol: 'BTCUSD', source: 'exchange_api', band: 0.01 })
 * // { …, best_bid: 99.5, best_ask: 100.5, mid: 100, spread: 1, spread_bps: 100,
 * //   band: 0.01, bid_depth: 2, ask_depth: 1, bid_levels: 2, ask_levels: 2 }
 * ```
 */
export function buildOrderBookSummary(
  book: { readonly timestamp: number; readonly bids: readonly BookLevel[]; readonly asks: readonly BookLevel[] },
  options: OrderBookSummaryOptions,
): OrderBookSummary {
  const { symbol, source, band } = options;
  const bestBid = book.bids[0]?.price ?? null;
  const bestAsk = book.asks[0]?.price ?? null;
  const mid = bestBid === null || bestAsk === null ? null : (bestBid + bestAsk) / 2;
  const spread = bestBid === null || bestAsk === null ? null : bestAsk - bestBid;
  let bidDepth: number | null = null;
  let askDepth: number | null = null;
  if (mid !== null) {
    const low = mid * (1 - band);
    const high = mid * (1 + band);
    bidDepth = 0;
    for (const level of book.bids) if (level.price >= low) bidDepth += level.quantity;
    askDepth = 0;
    for (const level of book.asks) if (level.price <= high) askDepth += level.quantity;
  }
  return {
    symbol,
    timestamp: isoUtc(book.timestamp),
    source,
    best_bid: bestBid,
    best_ask: bestAsk,
    mid,
    spread,
    spread_bps: mid === null || spread === null ? null : (spread / mid) * 10_000,
    band,
    bid_depth: bidDepth,
    ask_depth: askDepth,
    bid_levels: book.bids.length,
    ask_levels: book.asks.length,
  };
}
