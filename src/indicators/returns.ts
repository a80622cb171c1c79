import { closeChanges } from './internal/close-changes.js';
import type { CloseSeries, ReturnsOptions } from './indicator-input.js';

/**
 * Simple returns of the close, as a fraction: `r[i] = (close[i] − p) / p`, where `p` is the
 * close of the last real bar before `i` in the same segment.
 *
 * Undefined entries are `NaN`:
 * - the first real bar of the series and of every segment after a break (see
 *   {@link ReturnsOptions.breaks}): nothing is measured across a large gap;
 * - synthetic bars (flag `interpolated` or `forward_filled`, or `BarFlagCode` 1 or 2 in
 *   `flags`): they create no return of their own, and the next real bar's return is measured
 *   from the last real close, so the move across a filled gap is counted once, on the real bar;
 * - bars whose close is not finite, which are skipped the same way (bad data never throws).
 *
 * `clipped` bars are real and take part. A zero previous close gives `±Infinity` (IEEE
 * division). One pass, no allocation beyond the result; the input is not modified.
 *
 * @param series - Rows with at least `close` (and optional `flag`), or columns with `close`
 *   (and optional `flags`).
 * @param options - Where the series restarts (`breaks`), and `out`, an array to write into
 *   (see {@link ReturnsOptions.out}).
 * @returns A `Float64Array` aligned with the input (same length): `out` when given.
 * @throws ConfigError when an entry of `breaks` is not a non-negative integer, or `out` is not a
 *   `Float64Array` of the series' length that shares no memory with its closes.
 *
 * @example
 * ```ts
 * returns([{ close: 100 }, { close: 110 }, { close: 99 }])
 * // Float64Array [NaN, 0.1, -0.1]
 * returns([{ close: 100 }, { close: 105, flag: 'interpolated' }, { close: 110 }])
 * // Float64Array [NaN, NaN, 0.1]
 * ```
 */
export function returns(series: CloseSeries, options?: ReturnsOptions): Float64Array {
  return closeChanges(series, options, false);
}
