import type { BarFlag } from '../schemas/bar-flag.js';

/**
 * The least a row needs for {@link returns} and {@link logReturns}: a close and, on a bar
 * the library made up, its provenance flag. Every `Ohlcv` is a `CloseRow`.
 */
export interface CloseRow {
  /** Closing price (quote currency). */
  readonly close: number;
  /**
   * Provenance flag. `'interpolated'` and `'forward_filled'` mark synthetic bars, which create
   * no measurement of their own; `'clipped'` bars and bars without a flag are real.
   */
  readonly flag?: BarFlag | undefined;
}

/**
 * Closes held column-wise (every `OhlcvColumns` is one). Only the first `length` entries are
 * read.
 */
export interface CloseColumns {
  /** Number of bars. */
  readonly length: number;
  /** Closing prices (quote currency). */
  readonly close: ArrayLike<number>;
  /**
   * `BarFlagCode` per bar (0 = real). Codes 1 (`interpolated`) and 2 (`forward_filled`) mark
   * synthetic bars; absent means every bar is real.
   */
  readonly flags?: ArrayLike<number> | undefined;
}

/** Rows or columns with closes: the input of {@link returns} and {@link logReturns}. */
export type CloseSeries = readonly CloseRow[] | CloseColumns;

/**
 * The least a row needs for {@link trueRange}, {@link atr} and {@link AtrCalculator}.
 * Every `Ohlcv` is a `HighLowCloseRow`.
 */
export interface HighLowCloseRow {
  /** Highest price of the bar (quote currency). */
  readonly high: number;
  /** Lowest price of the bar (quote currency). */
  readonly low: number;
  /** Closing price (quote currency). */
  readonly close: number;
  /** Provenance flag; see {@link CloseRow.flag}. */
  readonly flag?: BarFlag | undefined;
}

/**
 * Highs, lows and closes held column-wise (every `OhlcvColumns` is one). Only the first
 * `length` entries are read.
 */
export interface HighLowCloseColumns {
  /** Number of bars. */
  readonly length: number;
  /** Highest prices (quote currency). */
  readonly high: ArrayLike<number>;
  /** Lowest prices (quote currency). */
  readonly low: ArrayLike<number>;
  /** Closing prices (quote currency). */
  readonly close: ArrayLike<number>;
  /** `BarFlagCode` per bar; see {@link CloseColumns.flags}. */
  readonly flags?: ArrayLike<number> | undefined;
}

/** Rows or columns with highs, lows and closes: the input of {@link trueRange} and {@link atr}. */
export type HighLowCloseSeries = readonly HighLowCloseRow[] | HighLowCloseColumns;

/** The result array of a batch indicator: `atr`, `returns` and `logReturns` take it. */
export interface IndicatorOutputOptions {
  /**
   * A `Float64Array` to write the result into instead of a fresh one (like numpy's `out=`), so
   * a backtest that recomputes an indicator on the same series does not pay for a new array and
   * its page faults each time. Its length must be the number of bars, and it must not share
   * memory with the input's columns; every entry is written and the call returns `out`
   * itself (for an empty series, `out.subarray(0, 0)`).
   *
   * @defaultValue a new array per call
   */
  readonly out?: Float64Array | undefined;
}

/** Options of `returns` and `logReturns`. */
export interface ReturnsOptions extends SeriesBreakOptions, IndicatorOutputOptions {}

/**
 * Where a series restarts. Shared by every indicator that must not measure across a large gap.
 */
export interface SeriesBreakOptions {
  /**
   * Indices of the first bar after each large gap (a gap the gap strategies mark missing rather
   * than fill): bar `i` starts a new segment, so nothing is measured between bar `i − 1` and bar
   * `i` and warm-ups start again at `i`. Any order; duplicates, `0` and indices at or beyond the
   * series length have no effect. Each entry must be a non-negative integer.
   *
   * `fillGaps(...).breaks` (and the report of `preprocess`) hold exactly these indices for the
   * series they return; pass them straight through.
   *
   * @defaultValue no breaks: the series is one segment
   */
  readonly breaks?: ArrayLike<number> | undefined;
}
