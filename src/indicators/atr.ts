import { atrKernel, highLowCloseColumns } from './internal/atr-kernel.js';
import { resolveBreaks } from '../internal/options.js';
import { resolveAtrOptions } from './internal/atr-options.js';
import { outputArray } from './internal/output-array.js';
import type { AtrOptions } from './atr-options.js';
import type { HighLowCloseSeries } from './indicator-input.js';

/**
 * Average true range with Wilder's smoothing (α = 1/period), in the quote currency, aligned
 * with the input.
 *
 * Within each segment (the whole series, or the stretches between `breaks`):
 * - warm-up: the first ATR is the arithmetic mean of the first `period` true ranges. With
 *   `seed: 'first-range'` TR₀ = high₀ − low₀, so the first value is at the segment's bar
 *   `period − 1`; with `seed: 'talib'` TR starts at the segment's second bar, so the first
 *   value is at bar `period` (see {@link AtrSeed});
 * - afterwards `ATR ← ATR + (TR − ATR) / period`, which is Wilder's
 *   `(ATR·(period − 1) + TR) / period` written the way technicalindicators and trading-signals
 *   evaluate it (bit-identical to technicalindicators).
 *
 * Entries before the first value are `NaN`, and every break restarts the warm-up. Synthetic
 * bars (`interpolated`, `forward_filled`) and bars with a non-finite high, low or close add no
 * true range: they repeat the current ATR (`NaN` while warming up), and the next real bar
 * measures its true range from the last real close. Matches StockCharts, Lean (Wilder),
 * Tulip and Achelis with the default seed, TA-Lib and technicalindicators with `'talib'`.
 * One pass over columns; rows are converted to columns first. The input is not modified.
 *
 * @param series - Rows with at least `high`, `low`, `close` (and optional `flag`), or columns.
 * @param options - `period`, `seed`, `breaks` and `out` (an array to write into, see
 *   {@link AtrOptions.out}); defaults in {@link DEFAULT_ATR_OPTIONS}.
 * @returns A `Float64Array` aligned with the input (same length): `out` when given.
 * @throws ConfigError when `period` is not a positive integer, `seed` is unknown, a `breaks`
 *   entry is not a non-negative integer, or `out` is not a `Float64Array` of the series' length
 *   that shares no memory with its columns; the message names the value.
 *
 * @example
 * ```ts
 * atr(
 *   [
 *     { high: 10, low: 8, close: 9 },   // TR 2
 *     { high: 11, low: 9, close: 10 },  // TR 2
 *     { high: 14, low: 10, close: 13 }, // TR 4
 *   ],
 *   { period: 2 },
 * )
 * // Float64Array [NaN, 2, 3]   (mean(2, 2) = 2, then 2 + (4 − 2) / 2 = 3)
 * ```
 */
export function atr(series: HighLowCloseSeries, options?: AtrOptions): Float64Array {
  const { period, talib } = resolveAtrOptions(options);
  const columns = highLowCloseColumns(series);
  const cuts = resolveBreaks(options?.breaks, columns.length);
  const out = outputArray(options?.out, columns.length, [columns.high, columns.low, columns.close]);
  atrKernel(columns, cuts, period, talib, out);
  return out;
}
