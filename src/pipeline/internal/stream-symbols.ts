import type { Clock } from '../clock.js';
import type { FeedController } from './feed-controller.js';
import type { Ingestor } from './ingestor.js';
import type { PipelineEmitter } from './pipeline-emitter.js';
import { untilAborted } from './until-aborted.js';

/** What {@link streamSymbols} works with. */
export interface StreamUnits {
  readonly feed: FeedController;
  readonly ingestor: Ingestor;
  readonly emitter: PipelineEmitter;
  readonly clock: Clock;
  /** Wait before reopening a stream after `attempt` failed or ended streams in a row (from 1), ms (`retryDelay`). */
  readonly retryDelay: (attempt: number) => number;
  /** Runs `task` under the symbol's lock. */
  readonly exclusive: (symbol: string, task: () => Promise<void>, signal: AbortSignal | undefined) => Promise<void>;
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
  const primary = units.feed.primary;
  if (primary.subscribe === undefined) return [];
  // One listener on `signal` ends every waiting stream (not one listener per stream).
  const stops = new Set<() => void>();
  const stopAll = (): void => {
    for (const stop of stops) stop();
  };
  signal.addEventListener('abort', stopAll, { once: true });
  return symbols.map(async (symbol) => {
    // Bounded by `signal`: each round waits its backoff (or a stream) before the next.
    for (let attempt = 1; !signal.aborted; attempt++) {
      const delivered = await stream(symbol, signal, stops, units);
      if (delivered) attempt = 1;
      try {
        await units.clock.sleep(units.retryDelay(attempt), signal);
      } catch {
        return;
      }
    }
  });
}

/** One stream of `symbol` until it fails, ends or `signal` aborts; whether it delivered a row. */
async function stream(symbol: string, signal: AbortSignal, stops: Set<() => void>, units: StreamUnits): Promise<boolean> {
  const { feed, ingestor, exclusive } = units;
  const primary = feed.primary;
  let delivered = false;
  // The stream's own signal, aborted with `signal` through the shared stops: a source's listeners
  // go on it, not on the one signal of every stream.
  const own = new AbortController();
  const stopOwn = (): void => own.abort(signal.reason);
  if (signal.aborted) stopOwn();
  else stops.add(stopOwn);
  try {
    const rows = primary.subscribe?.({ symbol, timeframe: ingestor.baseTimeframe, signal: own.signal });
    if (rows === undefined) return false;
    for await (const raw of untilAborted(rows, signal, stops)) {
      delivered = true;
      await exclusive(
        symbol,
        async () => {
          feed.setStreaming(symbol, true);
          const outcome = await ingestor.ingest(symbol, [raw], primary.name, signal, undefined);
          // A streamed bar had no request, so no round trip to time (NaN is ignored).
          feed.succeeded(symbol, 'primary', Number.NaN, outcome.newest, outcome.newest);
        },
        signal,
      );
    }
  } catch (error) {
    if (signal.aborted) return delivered;
    if (delivered) {
      await exclusive(symbol, () => Promise.resolve(feed.failed(symbol, 'primary', primary, error)), signal).catch(() => undefined);
    } else {
      units.emitter.emit('error', { phase: 'source', error, symbol });
    }
  } finally {
    stops.delete(stopOwn);
    feed.setStreaming(symbol, false);
  }
  return delivered;
}
