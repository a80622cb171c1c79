import { ConfigError } from '../../errors/config-error.js';
import { toColumns } from '../../formats/to-columns.js';
import type { OhlcvColumns } from '../../schemas/ohlcv-columns.js';
import type { Timeframe } from '../../time/timeframe.js';
import type { RevisedBar } from '../sink.js';
import type { Store, StoreSnapshot } from '../store.js';

/** What {@link StoreAccess.peekLast} answers when the store answers with a promise. */
export const NOT_AT_ONCE: unique symbol = Symbol('not at once');

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * The one place that knows a `Store` may answer with a value or a promise. Every unit reads and
 * writes history through it: awaited methods for the work, and {@link StoreAccess.peekLast} for
 * the decisions that are taken without waiting (a store that answers at once, like `MemoryStore`,
 * lets the steady state skip work; one that answers with promises simply never takes those
 * shortcuts).
 */
export class StoreAccess {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  /** The newest stored bar of a series when the store answers at once; {@link NOT_AT_ONCE} otherwise. */
  peekLast(symbol: string, timeframe: Timeframe): RevisedBar | undefined | typeof NOT_AT_ONCE {
    const last = this.#store.last(symbol, timeframe);
    return isPromiseLike(last) ? NOT_AT_ONCE : last;
  }

  /** The newest stored bar of a series. */
  async last(symbol: string, timeframe: Timeframe): Promise<RevisedBar | undefined> {
    return this.#store.last(symbol, timeframe);
  }

  /** Bars with `start <= timestamp < end`, oldest first. */
  async range(symbol: string, timeframe: Timeframe, start: number, end: number): Promise<readonly RevisedBar[]> {
    return this.#store.range(symbol, timeframe, start, end);
  }

  /** The same bars as {@link StoreAccess.range} as columns (through the store's `rangeColumns` when it has one). */
  async columns(symbol: string, timeframe: Timeframe, start: number, end: number): Promise<OhlcvColumns> {
    return this.#store.rangeColumns !== undefined
      ? this.#store.rangeColumns(symbol, timeframe, start, end)
      : toColumns(await this.#store.range(symbol, timeframe, start, end));
  }

  /** Inserts or replaces bars. */
  async upsert(symbol: string, timeframe: Timeframe, bars: readonly RevisedBar[]): Promise<void> {
    const done = this.#store.upsert(symbol, timeframe, bars);
    if (isPromiseLike(done)) await done;
  }

  /** Removes bars opening before `before` (epoch ms). */
  async prune(symbol: string, timeframe: Timeframe, before: number): Promise<void> {
    await this.#store.prune(symbol, timeframe, before);
  }

  /** The store's own snapshot for a checkpoint, when it keeps its bars only in memory. */
  snapshot(): StoreSnapshot | undefined {
    return this.#store.snapshot?.();
  }

  /**
   * Puts a checkpoint's snapshot back, when the store takes snapshots (other stores persist
   * themselves). Such a store keeps its bars in memory and answers `upsert` at once.
   *
   * @throws {@link ConfigError} when a store that takes snapshots answers `upsert` with a promise.
   */
  restore(snapshot: StoreSnapshot): void {
    if (this.#store.snapshot === undefined) return;
    for (const { symbol, timeframe, bars } of snapshot) {
      const done = this.#store.upsert(symbol, timeframe, bars);
      if (isPromiseLike(done)) {
        // Observed, so that its outcome is never an unhandled rejection; the error says why.
        Promise.resolve(done).catch(() => undefined);
        throw new ConfigError('Expected a store that takes snapshots to answer `upsert` at once, got a promise', {
          path: ['store', 'upsert'],
          value: 'a promise',
        });
      }
    }
  }
}
