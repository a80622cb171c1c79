import type { Ingestor } from './ingestor.js';
import { streamPerSymbol, type StreamLoopUnits } from './stream-per-symbol.js';

/** What {@link streamSymbols} works with. */
export interface StreamUnits extends StreamLoopUnits {
  readonly ingestor: Ingestor;
}

/**
 * Streams each symbol's base bars from the primary's `subscribe`, when it has one, until
 * `signal` aborts: every streamed row is ingested under the symbol's lock like a polled answer,
 * and proves the primary alive. A stream that fails or ends is reopened after a backoff
 * (`retryDelay`, growing while reopening fails, reset by a delivered bar); while it is down,
 * polling covers for it. The failure of a stream that delivered counts once against the primary
 * (a failed reopen is reported on `error` only: the polls judge the primary meanwhile). Returns
 * one promise per symbol, each settling when `signal` aborts (never rejecting) — at once, even
 * while the stream waits for a message and ignores the signal: the wait is left (and the
 * iterator asked to `return`, without waiting for it).
 */
export function streamSymbols(symbols: readonly string[], signal: AbortSignal, units: StreamUnits): Promise<void>[] {
  const { feed, ingestor } = units;
  const primary = feed.primary;
  if (primary.subscribe === undefined) return [];
  return streamPerSymbol(symbols, signal, units, {
    open: (symbol, own) => primary.subscribe?.({ symbol, timeframe: ingestor.baseTimeframe, signal: own }),
    take: async (symbol, raw, stop) => {
      const outcome = await ingestor.ingest(symbol, [raw], primary.name, stop, undefined);
      // A streamed bar had no request, so no round trip to time (NaN is ignored).
      feed.succeeded(symbol, 'primary', Number.NaN, outcome.newest, outcome.newest);
    },
    setStreaming: (symbol, on) => feed.setStreaming(symbol, on),
  });
}
