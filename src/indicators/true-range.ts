import { highLowCloseColumns, trueRangeKernel } from './internal/atr-kernel.js';
import { resolveBreaks } from '../internal/options.js';
import { isTalibSeed } from './internal/atr-options.js';
import type { AtrSeed } from './atr-options.js';
import type { HighLowCloseSeries, SeriesBreakOptions } from './indicator-input.js';

/** Options of {@link trueRange}. */
export interface TrueRangeOptions extends SeriesBreakOptions {
  /**
   * What the first bar of a segment gets, which has no previous close: `'first-range'` gives
   * `high − low` (Wilder, StockCharts); `'talib'` leaves it `NaN` (TA-Lib `TRANGE`).
   *
   * @defaultValue `'first-range'`
   */
  readonly seed?: AtrSeed;
}

/**
 * Wilder's true range per bar: `max(high − low, |high − pc|, |low − pc|)`, where `pc` is the
 * close of the last real bar before it in the same segment — the bar's range widened by any
 * gap from the previous close. Prices in the quote currency.
 *
 * Undefined entries are `NaN`: synthetic bars (`interpolated`, `forward_filled`) and bars with
 * a non-finite high, low or close, which are skipped (the next bar measures from the last
 * usable close); and, with `seed: 'talib'`, the first bar of the series and of each segment
 * after a break. The input is not modified.
 *
 * @param series - Rows with at least `high`, `low`, `close` (and optional `flag`), or columns.
 * @param options - Seeding of the first bar and where the series restarts.
 * @returns A `Float64Array` aligned with the input (same length).
 * @throws ConfigError on an unknown `seed` or a `breaks` entry that is not a non-negative integer.
 *
 * @example
 * ```ts
 * trueRange([
 *   { high: 10, low: 9, close: 9.5 },
 *   { high: 12, low: 11, close: 11.5 }, // gap up: 12 − 9.5
 * ])
 * // Float64Array [1, 2.5]
 * ```
 */
export function trueRange(series: HighLowCloseSeries, options?: TrueRangeOptions): Float64Array {
  const talib = isTalibSeed(options?.seed);
  const columns = highLowCloseColumns(series);
  return trueRangeKernel(columns, resolveBreaks(options?.breaks, columns.length), talib);
}
