/**
 * The trade and order-book sections of the configuration, with their defaults (both off: no
 * symbol listed); `config.ts` re-exports them and composes the whole pipeline configuration.
 */
import { z } from 'zod';
import { fraction, positive, positiveInt } from './internal/config-numbers.js';

/** Trades through the pipeline; see {@link DEFAULT_TRADES}. */
export const TradesConfigSchema = z.strictObject({
  /** Symbols whose trades are ingested (each must be one of `symbols`); empty: trades are off. */
  symbols: z.array(z.string().min(1)),
  /** A symbol's trades are polled this often (ms) when its source has no `subscribeTrades`. */
  pollIntervalMs: positive,
  /** At most this many trades per request (Binance: 1000). */
  limit: positiveInt,
  /**
   * The source's trade ids are consecutive (Binance's are): a jump in ids is a gap, re-fetched
   * by id (`fromId`), reported and counted in the trades' completeness.
   */
  consecutiveIds: z.boolean(),
  /**
   * A symbol whose bars show trading (a closed base bar with volume) while no trade after the
   * last one came for this long (ms) has a stale trade feed: a `stale` failure of its source.
   */
  stallMs: positive,
});
/** Trades through the pipeline. */
export type TradesConfig = z.output<typeof TradesConfigSchema>;

/**
 * Trades off; when a symbol is listed: polled every 10 s, 1000 a request, consecutive ids, stale
 * after 2 minutes without a trade while bars with volume come.
 *
 * @defaultValue `{ symbols: [], pollIntervalMs: 10000, limit: 1000, consecutiveIds: true, stallMs: 120000 }`
 */
export const DEFAULT_TRADES: TradesConfig = { symbols: [], pollIntervalMs: 10_000, limit: 1000, consecutiveIds: true, stallMs: 120_000 };

/** Order-book snapshots through the pipeline; see {@link DEFAULT_ORDER_BOOK}. */
export const OrderBookConfigSchema = z.strictObject({
  /** Symbols whose order book is polled (each must be one of `symbols`); empty: books are off. */
  symbols: z.array(z.string().min(1)),
  /** A snapshot is polled this often, ms. */
  intervalMs: positive,
  /** Levels a side asked for (the request's `depth`; its rate-limit weight grows with it on Binance). */
  depth: positiveInt,
  /**
   * The summary's depth band: quantity resting within this fraction of the mid price on each
   * side (0.01 = within 1 % of mid).
   */
  band: fraction,
});
/** Order-book snapshots through the pipeline. */
export type OrderBookConfig = z.output<typeof OrderBookConfigSchema>;

/**
 * Books off; when a symbol is listed: a 100-level snapshot (Binance's lightest depth weight, 5)
 * every 10 s, summarised within 1 % of mid.
 *
 * @defaultValue `{ symbols: [], intervalMs: 10000, depth: 100, band: 0.01 }`
 */
export const DEFAULT_ORDER_BOOK: OrderBookConfig = { symbols: [], intervalMs: 10_000, depth: 100, band: 0.01 };
