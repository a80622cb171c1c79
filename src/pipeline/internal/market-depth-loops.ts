import type { Clock } from '../clock.js';
import type { FeedController } from './feed-controller.js';
import type { OrderBookPoller } from './order-book-poller.js';
import { periodicLoops } from './periodic-loops.js';
import type { PipelineEmitter } from './pipeline-emitter.js';
import { streamPerSymbol } from './stream-per-symbol.js';
import { streamTrades } from './stream-trades.js';
import type { TradeFeed } from './trade-feed.js';

/** What {@link marketDepthLoops} works with. */
export interface MarketDepthUnits {
  readonly feed: FeedController;
  readonly trades: TradeFeed;
  readonly books: OrderBookPoller;
  readonly emitter: PipelineEmitter;
  readonly clock: Clock;
  /** Wait before reopening a trade or book stream after `attempt` failed or ended streams in a row, ms. */
  readonly retryDelay: (attempt: number) => number;
  /** Runs `task` under the symbol's lock. */
  readonly exclusive: (symbol: string, task: () => Promise<void>, signal: AbortSignal | undefined) => Promise<void>;
  /** The most trades asked for at once (`trades.limit`). */
  readonly tradesLimit: number;
}

/**
 * The loops of a started pipeline for trades and order books: for each symbol with trades on,
 * one poll loop at the trade feed's pace and the primary's `subscribeTrades` stream (when it has
 * one); for each symbol with books on, one snapshot loop and the primary's `subscribeOrderBook`
 * stream (when it has one: while it is up, its snapshots are taken and none is polled). Each
 * promise settles (never rejects) when `signal` aborts; with neither configured there is none.
 */
export function marketDepthLoops(symbols: readonly string[], signal: AbortSignal, units: MarketDepthUnits): Promise<void>[] {
  const { trades, books, exclusive } = units;
  const periodic = [trades, books].flatMap((job) =>
    periodicLoops(
      symbols.filter((symbol) => job.has(symbol)),
      signal,
      {
        dueAt: (symbol) => job.dueAt(symbol),
        run: (symbol, running) => exclusive(symbol, () => job.cycle(symbol, running), running),
      },
      units,
    ),
  );
  const streams = streamTrades(
    symbols.filter((symbol) => trades.has(symbol)),
    signal,
    { ...units, limit: units.tradesLimit },
  );
  const primary = units.feed.primary;
  const bookStreams =
    primary.subscribeOrderBook === undefined
      ? []
      : streamPerSymbol(
          symbols.filter((symbol) => books.has(symbol)),
          signal,
          units,
          {
            open: (symbol, own) => primary.subscribeOrderBook?.({ symbol, depth: books.depth, signal: own }),
            take: (symbol, message, stop) => books.take(symbol, { which: 'primary', source: primary }, message, stop),
            setStreaming: (symbol, on) => books.setStreaming(symbol, on),
          },
        );
  return [...periodic, ...streams, ...bookStreams];
}
