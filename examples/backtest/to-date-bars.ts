import type { Ohlcv } from 'market-data-pipeline';

/** A bar timed by a `Date`, the shape many JavaScript backtesters and charting libraries take. */
export interface DateBar {
  /** The bar's open time. */
  readonly date: Date;
  /** First price. */
  readonly open: number;
  /** Highest price. */
  readonly high: number;
  /** Lowest price. */
  readonly low: number;
  /** Last price. */
  readonly close: number;
  /** Base-asset volume. */
  readonly volume: number;
}

/**
 * Bars with `date: new Date(timestamp)` instead of an epoch-ms `timestamp`, keeping only the
 * OHLCV fields (flags and revisions have no place in that shape: filter on them first).
 *
 * @param bars - bars, oldest first; not mutated.
 * @returns One new object per bar.
 *
 * @example
 * ```ts
 * toDateBars([{ timestamp: 1735689600000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 }])
 * // [{ date: 2025-01-01T00:00:00.000Z, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 }]
 * ```
 */
export function toDateBars(bars: readonly Ohlcv[]): DateBar[] {
  return bars.map((bar) => ({
    date: new Date(bar.timestamp),
    open: bar.open,
    high: bar.high,
    low: bar.low,
    close: bar.close,
    volume: bar.volume,
  }));
}
