import { z } from 'zod';
import { CountSchema, WireNumberSchema } from './internal/wire-fields.js';
import { IsoTimestampSchema } from './iso-timestamp-schema.js';

/**
 * The `order_book` document: a summary of one symbol's latest validated order-book snapshot,
 * for agents that read the market's microstructure. Prices in the quote currency, quantities
 * in the base asset.
 *
 * - `timestamp`: the snapshot's time (ISO-8601 UTC); `source`: the source it came from;
 * - `best_bid`, `best_ask`: the top of each side; `null` when that side is empty;
 * - `mid` = (best bid + best ask) / 2 and `spread` = best ask − best bid, in price units;
 *   `spread_bps` = spread / mid × 10,000; all `null` when a side is empty;
 * - `band`: the depth band, a fraction of `mid` (0.01 = 1 %); `bid_depth` is the quantity
 *   resting at prices ≥ mid × (1 − band), `ask_depth` at prices ≤ mid × (1 + band); `null`
 *   without a mid;
 * - `bid_levels`, `ask_levels`: levels in the snapshot (at most the depth asked).
 *
 * @example
 * ```ts
 * OrderBookSummarySchema.parse(JSON.parse(text)).spread // 0.5
 * ```
 */
export const OrderBookSummarySchema = z.object({
  symbol: z.string().min(1),
  timestamp: IsoTimestampSchema,
  source: z.string(),
  best_bid: WireNumberSchema.nullable(),
  best_ask: WireNumberSchema.nullable(),
  mid: WireNumberSchema.nullable(),
  spread: WireNumberSchema.nullable(),
  spread_bps: WireNumberSchema.nullable(),
  band: WireNumberSchema,
  bid_depth: WireNumberSchema.nullable(),
  ask_depth: WireNumberSchema.nullable(),
  bid_levels: CountSchema,
  ask_levels: CountSchema,
});

/** The `order_book` document; see {@link OrderBookSummarySchema}. */
export type OrderBookSummary = z.output<typeof OrderBookSummarySchema>;
