import type { Clock } from '../clock.js';
import type { FeedController } from './feed-controller.js';
import type { PipelineEmitter } from './pipeline-emitter.js';
import type { TradeFeed } from './trade-feed.js';
import { untilAborted } from './until-aborted.js';

/** What {@link streamTrades} works with. */
export interface TradeStreamUnits {
  readonly feed: FeedController;
  readonly trades: TradeFeed;
  readonly emitter: PipelineEmitter;
  readonly clock: Clock;
  /** Wait before reopening a stream after `attempt` failed or ended streams in a row (from 1), ms. */
  readonly retryDelay: (attempt: number) => number;
  /** Runs `task` under the symbol's lock. */
  readonly exclusive: (symbol: string, task: () => Promise<void>, signal: AbortSignal | undefined) => Promise<void>;
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
  const primary = units.feed.primary;
  if (primary.subscribeTrades === undefined) return [];
  const stops = new Set<() => void>();
  signal.addEventListener('abort', () => stops.forEach((stop) => stop()), { once: true });
  return symbols.map(async (symbol) => {
    // Bounded by `signal`: each round waits its backoff (or a stream) before the next.
    for (let attempt = 1; !signal.aborted; attempt++) {
      if (await stream(symbol, signal, stops, units)) attempt = 1;
      try {
        await units.clock.sleep(units.retryDelay(attempt), signal);
      } catch {
        return;
      }
    }
  });
}

/** One trade stream of `symbol` until it fails, ends or `signal` aborts; whether it delivered a message. */
async function stream(symbol: string, signal: AbortSignal, stops: Set<() => void>, units: TradeStreamUnits): Promise<boolean> {
  const { feed, trades, exclusive } = units;
  const ref = { which: 'primary', source: feed.primary } as const;
  let delivered = false;
  const own = new AbortController();
  const stopOwn = (): void => own.abort(signal.reason);
  if (signal.aborted) stopOwn();
  else stops.add(stopOwn);
  try {
    const messages = ref.source.subscribeTrades?.({ symbol, ...trades.resumeFrom(symbol), limit: units.limit, signal: own.signal });
    if (messages === undefined) return false;
    for await (const message of untilAborted(messages, signal, stops)) {
      delivered = true;
      await exclusive(
        symbol,
        async () => {
          trades.setStreaming(symbol, true);
          await trades.streamed(symbol, ref, message, signal);
        },
        signal,
      );
    }
  } catch (error) {
    if (signal.aborted) return delivered;
    if (delivered) {
      await exclusive(symbol, () => Promise.resolve(feed.failed(symbol, 'primary', ref.source, error)), signal).catch(() => undefined);
    } else {
      units.emitter.emit('error', { phase: 'source', error, symbol });
    }
  } finally {
    stops.delete(stopOwn);
    trades.setStreaming(symbol, false);
  }
  return delivered;
}
