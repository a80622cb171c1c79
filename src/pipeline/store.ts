import type { OhlcvColumns } from '../schemas/ohlcv-columns.js';
import type { Timeframe } from '../time/timeframe.js';
import type { RevisedBar } from './sink.js';

/**
 * Where the pipeline keeps history: the bars it serves from cache when sources fail, the
 * base bars it aggregates from, the answers to data requests. `MemoryStore` is built in;
 * `examples/sqlite-store` keeps it on disk.
 *
 * Every method may return a value or a promise. Bars are keyed by
 * `(symbol, timeframe, timestamp)`; `upsert` replaces a stored bar only with a higher or equal
 * `revision`.
 */
export interface Store {
  /** Inserts or replaces bars (any order). */
  upsert(symbol: string, timeframe: Timeframe, bars: readonly RevisedBar[]): void | Promise<void>;
  /** Bars with `start <= timestamp < end`, oldest first. */
  range(symbol: string, timeframe: Timeframe, start: number, end: number): readonly RevisedBar[] | Promise<readonly RevisedBar[]>;
  /**
   * The same bars as `range`, as columns (faster for scoring and indicators). Optional: without
   * it the pipeline converts the rows.
   */
  rangeColumns?(symbol: string, timeframe: Timeframe, start: number, end: number): OhlcvColumns | Promise<OhlcvColumns>;
  /** The newest stored bar, if any. */
  last(symbol: string, timeframe: Timeframe): RevisedBar | undefined | Promise<RevisedBar | undefined>;
  /** Removes bars older than `before` (epoch ms); returns how many were removed. */
  prune(symbol: string, timeframe: Timeframe, before: number): number | Promise<number>;
  /**
   * Every stored series, for a checkpoint. Optional: only a store that keeps its bars in memory
   * (like `MemoryStore`) implements it, and then answers `upsert` at once; a checkpoint taken
   * with such a store carries its bars, and restoring it upserts them. Stores that persist
   * themselves leave it out.
   */
  snapshot?(): StoreSnapshot;
}

/** Every stored series of a store that keeps its bars in memory (see {@link Store.snapshot}). */
export type StoreSnapshot = readonly { readonly symbol: string; readonly timeframe: Timeframe; readonly bars: readonly RevisedBar[] }[];
