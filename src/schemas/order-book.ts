import { z } from 'zod';

const finite = z.number().refine(Number.isFinite, { message: 'Expected a finite number' });

/** One price level of an order book: `price` in the quote currency, `quantity` in the base asset. */
export const BookLevelSchema = z.object({
  price: finite,
  quantity: finite,
});

/** One price level of an order book. */
export type BookLevel = z.output<typeof BookLevelSchema>;

/**
 * An order-book snapshot: bids sorted by price descending, asks ascending, `depthLevels`
 * the number of levels per side requested or reported. Market rules (sorting, not crossed,
 * positive prices and quantities) are checked by `validateOrderBook`.
 */
export const OrderBookSchema = z.object({
  /** Snapshot time, integer epoch milliseconds, UTC. */
  timestamp: z.number().int().refine(Number.isSafeInteger, { message: 'Expected a safe integer' }),
  /** Bids, best (highest) first. */
  bids: z.array(BookLevelSchema),
  /** Asks, best (lowest) first. */
  asks: z.array(BookLevelSchema),
  /** Levels per side. */
  depthLevels: z.number().int().nonnegative(),
});

/** An order-book snapshot; see {@link OrderBookSchema}. */
export type OrderBook = z.output<typeof OrderBookSchema>;
