import type { Tick } from '../../schemas/tick.js';

/** What a `TradeFeed` keeps of one symbol's trades (mutable, owned by the feed). */
export interface SymbolTrades {
  /** Id of the last trade taken; `null` before the first. */
  lastId: number | null;
  /** Time of the last trade taken, epoch ms. */
  lastTradeAt: number | null;
  /** From when the trades are complete (epoch ms): the first request's `since`. */
  from: number | null;
  /** When the symbol's trades were last asked for (epoch ms). */
  polledAt: number | null;
  /** Trades received and trade ids found missing since the pipeline started. */
  received: number;
  missing: number;
  /** Whether the primary's `subscribeTrades` stream is open (polls then only compare bars and check for a stall). */
  streaming: boolean;
  /** Stream batches in a row whose gap could not be re-fetched; at a few the gap is given up (`TradeFeed`). */
  streamRetries: number;
  /** Trades of the stream after a gap not yet re-fetched, taken again with its next batch. */
  held: readonly Tick[];
}

/** A symbol's trade state before its first trade. */
export function newSymbolTrades(): SymbolTrades {
  return {
    lastId: null,
    lastTradeAt: null,
    from: null,
    polledAt: null,
    received: 0,
    missing: 0,
    streaming: false,
    streamRetries: 0,
    held: [],
  };
}
