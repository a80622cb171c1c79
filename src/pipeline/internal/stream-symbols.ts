import type { FeedController } from './feed-controller.js';
import type { Ingestor } from './ingestor.js';

/** What {@link streamSymbols} works with. */
export interface StreamUnits {
  readonly feed: FeedController;
  readonly ingestor: Ingestor;
  /** Runs `task` under the symbol's lock. */
  readonly exclusive: (symbol: string, task: () => Promise<void>, signal: AbortSignal | undefined) => Promise<void>;
}

/**
 * Streams each symbol's base bars from the primary's `subscribe`, when it has one, until
 * `signal` aborts: every streamed row is ingested under the symbol's lock like a polled answer,
 * and proves the primary alive. A stream that fails counts as a failure of the primary; polling
 * goes on. Returns one promise per symbol, each settling when its stream ends (never rejecting).
 */
export function streamSymbols(symbols: readonly string[], signal: AbortSignal, units: StreamUnits): Promise<void>[] {
  const { feed, ingestor, exclusive } = units;
  const primary = feed.primary;
  const subscribe = primary.subscribe?.bind(primary);
  if (subscribe === undefined) return [];
  const timeframe = ingestor.baseTimeframe;
  return symbols.map(async (symbol) => {
    try {
      for await (const raw of subscribe({ symbol, timeframe, signal })) {
        await exclusive(
          symbol,
          async () => {
            feed.setStreaming(symbol, true);
            const outcome = await ingestor.ingest(symbol, [raw], primary.name, signal, undefined);
            // A streamed bar had no request, so no round trip to time (NaN is ignored).
            feed.succeeded(symbol, 'primary', Number.NaN, outcome.newest);
          },
          signal,
        );
      }
    } catch (error) {
      if (signal.aborted) return;
      await exclusive(symbol, () => Promise.resolve(feed.failed(symbol, 'primary', primary, error)), signal).catch(() => undefined);
    } finally {
      feed.setStreaming(symbol, false);
    }
  });
}
