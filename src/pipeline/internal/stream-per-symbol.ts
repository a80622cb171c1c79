import type { Clock } from '../clock.js';
import type { FeedController } from './feed-controller.js';
import type { PipelineEmitter } from './pipeline-emitter.js';
import { untilAborted } from './until-aborted.js';

/** What {@link streamPerSymbol} works with. */
export interface StreamLoopUnits {
  readonly feed: FeedController;
  readonly emitter: PipelineEmitter;
  readonly clock: Clock;
  /** Wait before reopening a stream after `attempt` failed or ended streams in a row (from 1), ms (`retryDelay`). */
  readonly retryDelay: (attempt: number) => number;
  /** Runs `task` under the symbol's lock. */
  readonly exclusive: (symbol: string, task: () => Promise<void>, signal: AbortSignal | undefined) => Promise<void>;
}

/** One kind of stream of the primary: how to open it for a symbol and what to do with each message. */
export interface SymbolStream {
  /** Opens the symbol's stream (aborted by `signal`); `undefined` when the primary has none. */
  readonly open: (symbol: string, signal: AbortSignal) => AsyncIterable<unknown> | undefined;
  /** Takes one message, under the symbol's lock. */
  readonly take: (symbol: string, message: unknown, signal: AbortSignal) => Promise<void>;
  /** Marks the symbol's stream as up (a message came) or down (it ended). */
  readonly setStreaming: (symbol: string, on: boolean) => void;
}

/**
 * Runs one stream per symbol from the primary until `signal` aborts: every message is taken
 * under the symbol's lock like a polled answer. A stream that fails or ends is reopened after a
 * backoff (`retryDelay`, growing while reopening fails, reset by a delivered message); while it
 * is down, polling covers for it. The failure of a stream that delivered counts once against the
 * primary (a failed open is reported on `error` only: the polls judge the primary meanwhile).
 * Returns one promise per symbol, each settling when `signal` aborts (never rejecting) — at
 * once, even while a stream waits for a message and ignores the signal: the wait is left (and
 * the iterator asked to `return`, without waiting for it).
 *
 * @param symbols - The symbols.
 * @param signal - Ends every stream.
 * @param units - The feed, emitter, clock, backoff and lock.
 * @param kind - The stream: how to open it and take its messages.
 * @returns One promise per symbol.
 */
export function streamPerSymbol(
  symbols: readonly string[],
  signal: AbortSignal,
  units: StreamLoopUnits,
  kind: SymbolStream,
): Promise<void>[] {
  // One listener on `signal` ends every waiting stream (not one listener per stream).
  const stops = new Set<() => void>();
  signal.addEventListener('abort', () => stops.forEach((stop) => stop()), { once: true });
  return symbols.map(async (symbol) => {
    // Bounded by `signal`: each round waits its backoff (or a stream) before the next.
    for (let attempt = 1; !signal.aborted; attempt++) {
      if (await stream(symbol, signal, stops, units, kind)) attempt = 1;
      try {
        await units.clock.sleep(units.retryDelay(attempt), signal);
      } catch {
        return;
      }
    }
  });
}

/** One stream of `symbol` until it fails, ends or `signal` aborts; whether it delivered a message. */
async function stream(
  symbol: string,
  signal: AbortSignal,
  stops: Set<() => void>,
  units: StreamLoopUnits,
  kind: SymbolStream,
): Promise<boolean> {
  const { feed, exclusive } = units;
  const primary = feed.primary;
  let delivered = false;
  // The stream's own signal, aborted with `signal` through the shared stops: a source's listeners
  // go on it, not on the one signal of every stream.
  const own = new AbortController();
  const stopOwn = (): void => own.abort(signal.reason);
  if (signal.aborted) stopOwn();
  else stops.add(stopOwn);
  try {
    const messages = kind.open(symbol, own.signal);
    if (messages === undefined) return false;
    for await (const message of untilAborted(messages, signal, stops)) {
      delivered = true;
      await exclusive(
        symbol,
        async () => {
          kind.setStreaming(symbol, true);
          await kind.take(symbol, message, signal);
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
    kind.setStreaming(symbol, false);
  }
  return delivered;
}
