import { closeChanges } from './internal/close-changes.js';
import type { CloseSeries, ReturnsOptions } from './indicator-input.js';

/**
 * Logarithmic returns of the close: `r[i] = ln(close[i] / p)`, where `p` is the close of the
 * last real bar before `i` in the same segment. Log returns of consecutive real bars add up to
 * the log return over the whole span.
 *
 * `NaN` exactly where {@link returns} is `NaN` (first real bar of the series and of each
 * segment, synthetic bars, non-finite closes); a non-positive price gives `NaN` or `±Infinity`
 * (IEEE logarithm). The input is not modified.
 *
 * @param series - Rows with at least `close` (and optional `flag`), or columns with `close`
 *   (and optional `flags`).
 * @param options - Where the series restarts (see {@link ReturnsOptions.breaks}), and
 *   `out`, an array to write into (see {@link ReturnsOptions.out}).
 * @returns A `Float64Array` aligned with the input (same length): `out` when given.
 * @throws ConfigError when an entry of `breaks` is not a non-negative integer, or `out` is not a
 *   `Float64Array` of the series' length that shares no memory with its closes.
 *
 * @example
 * ```ts
 * logReturns([{ close: 100 }, { close: 200 }, { close: 100 }])
 * // Float64Array [NaN, 0.6931471805599453, -0.6931471805599453]
 * ```
 */
export function logReturns(series: CloseSeries, options?: ReturnsOptions): Float64Array {
  return closeChanges(series, options, true);
}
