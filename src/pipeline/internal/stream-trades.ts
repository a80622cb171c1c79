import type { TradeFeed } from './trade-feed.js';
import { streamPerSymbol, type StreamLoopUnits } from './stream-per-symbol.js';

/** What {@link streamTrades} works with. */
export interface TradeStreamUnits extends StreamLoopUnits {
  readonly trades: TradeFeed;
  /** The most trades asked for at once (`trades.limit`). */
  readonly limit: number;
}

/**
 * Streams each symbol's trades from the primary's `subscribeTrades`, when it has one, until
 * `signal` aborts, from the trade after the last one taken: every message is taken under the
 * symbol's lock like a polled answer (parse, validate, dedupe, order, gaps re-fetched by id). A
 * stream that fails or ends is reopened after a backoff (`retryDelay`, reset by a delivered
 * message); while it is down, polling `fetchTrades` covers for it. The failure of a stream that
 * delivered counts once against the primary; a failed open is reported on `error` only. Returns
 * one promise per symbol, each settling (never rejecting) when `signal` aborts.
 */
export function streamTrades(symbols: readonly string[], signal: AbortSignal, units: TradeStreamUnits): Promise<void>[] {
  const { feed, trades } = units;
  const primary = feed.primary;
  if (primary.subscribeTrades === undefined) return [];
  const ref = { which: 'primary', source: primary } as const;
  return streamPerSymbol(symbols, signal, units, {
    open: (symbol, own) => primary.subscribeTrades?.({ symbol, ...trades.resumeFrom(symbol), limit: units.limit, signal: own }),
    take: (symbol, message, stop) => trades.streamed(symbol, ref, message, stop),
    setStreaming: (symbol, on) => trades.setStreaming(symbol, on),
  });
}
