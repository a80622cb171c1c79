import type { Ohlcv } from './ohlcv.js';

/**
 * A series of bars held column-wise for batch work: one `Float64Array` per field.
 * Only the first `length` entries of each array are meaningful (arrays may be longer, to
 * leave room for appends). Optional fields are present as a whole column or not at all;
 * inside an optional numeric column, `NaN` marks a bar that lacks the field (as `toColumns`
 * writes it when only some rows have it).
 *
 * `flags` holds `BarFlagCode`s (0 = real bar); absent means every bar is real.
 * `count` holds, on aggregated series, how many source bars built each bar; `synthetic` and
 * `missing` (provenance, 0 for none) how many of them were synthetic and how many of the
 * bucket's source bars are missing.
 *
 * Batch functions accept rows (`readonly Ohlcv[]`) or columns and return the kind they
 * were given; the kernels work on columns.
 */
export interface OhlcvColumns {
  /** Number of bars. */
  readonly length: number;
  /** Open times, integer epoch milliseconds, UTC, strictly increasing in a clean series. */
  readonly timestamp: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly quoteVolume?: Float64Array;
  readonly trades?: Float64Array;
  readonly takerBuyVolume?: Float64Array;
  /** `BarFlagCode` per bar; 0 for a real bar. */
  readonly flags?: Uint8Array;
  /** Source bars per aggregated bar. */
  readonly count?: Float64Array;
  /** Synthetic (`interpolated`, `forward_filled`) source bars per aggregated bar, in the units of `count`. */
  readonly synthetic?: Float64Array;
  /** Missing source bars per aggregated bar, in the units of `count`. */
  readonly missing?: Float64Array;
}

/** Rows or columns: what every batch function accepts. */
export type OhlcvSeries = readonly Ohlcv[] | OhlcvColumns;

/**
 * Whether a series is held as columns (as opposed to an array of rows).
 *
 * @example
 * ```ts
 * isOhlcvColumns([]) // false
 * ```
 */
export function isOhlcvColumns(series: OhlcvSeries): series is OhlcvColumns {
  return !Array.isArray(series);
}
