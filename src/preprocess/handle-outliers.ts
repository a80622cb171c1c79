import { readSeries } from '../internal/series-input.js';
import { toColumns } from '../formats/to-columns.js';
import { resolveBreaks } from '../internal/options.js';
import { applyOutliersToColumns, applyOutliersToRows, resolveOutlierOptions, scanOutliers } from './internal/outlier-kernel.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import { isOhlcvColumns, type OhlcvColumns, type OhlcvSeries } from '../schemas/ohlcv-columns.js';
import type { OutlierMethod } from './outlier-method.js';

/** Options of {@link handleOutliers}. */
export interface HandleOutliersOptions {
  /**
   * What to do with an outlier; see {@link OutlierMethod}.
   *
   * @defaultValue `'clip'` (`DEFAULT_PREPROCESSING.outliers`)
   */
  readonly method?: OutlierMethod;
  /**
   * Distance from the window's mean return, in sample standard deviations, beyond which a
   * return is an outlier. A positive finite number.
   *
   * @defaultValue 5 (`DEFAULT_PREPROCESSING.outlierThreshold`)
   */
  readonly threshold?: number;
  /**
   * Number of preceding returns the mean and standard deviation are taken over; an integer of
   * at least 2. Bars before the window is full are not judged.
   *
   * @defaultValue 100 (`DEFAULT_VALIDITY.outlierWindow`)
   */
  readonly window?: number;
  /**
   * Indices of the first bar after each large gap: no return is measured across them (as
   * the `breaks` of the indicators and of `fillGaps`).
   *
   * @defaultValue no breaks
   */
  readonly breaks?: ArrayLike<number> | undefined;
}

/** The result of {@link handleOutliers}. */
export interface HandleOutliersResult<S extends OhlcvSeries> {
  /** The series after the method was applied, of the kind given. */
  readonly bars: S;
  /**
   * Indices in the input of the outlier bars, ascending: the bars clipped, removed or
   * flagged (with `clip` and `flag` they are also their indices in `bars`).
   */
  readonly outliers: readonly number[];
}

/**
 * Finds bars whose close-to-close return is an outlier and clips, removes or lists them.
 *
 * The statistic: the simple return `r = close / previous close − 1`, judged against the
 * mean and the sample standard deviation (n − 1) of the `window` returns before it (a rolling
 * window, like `validity.outlierWindow`); an outlier is `|r − mean| > threshold · sd`. The
 * scan is sequential on the cleaned series: after a clip, the next return is measured from
 * the clipped close and the clipped return enters the window; a removed bar leaves no
 * return. `flag` lists exactly the bars `clip` would change. Synthetic bars (interpolated,
 * forward-filled) are neither judged nor counted; a window whose deviation is 0 (flat
 * prices) judges nothing; the first bar and the first bar after a break have no return.
 * Only the close is judged: a wick with a normal close is not an outlier. The band of bar `i`
 * is `previous close · (1 + mean ± threshold · sd)`.
 *
 * @param bars - Rows or columns, ascending.
 * @param options - See {@link HandleOutliersOptions}.
 * @returns The new series and the outliers' input indices.
 * @throws {@link ConfigError} on an unknown method, a threshold that is not positive, a window
 *   below 2 or a bad break index.
 *
 * @example
 * ```ts
 * // closes ±1 % around 100 for 100 bars, then 150:
 * handleOutliers(bars).bars.at(-1) // close ≈ 101.x (the band's top), flag 'clipped'
 * ```
 */
export function handleOutliers<S extends OhlcvSeries>(
  bars: S,
  options: HandleOutliersOptions = {},
): HandleOutliersResult<S extends OhlcvColumns ? OhlcvColumns : Ohlcv[]> {
  type Out = S extends OhlcvColumns ? OhlcvColumns : Ohlcv[];
  const { method, threshold, window } = resolveOutlierOptions(options);
  const series: OhlcvSeries = readSeries(bars).series;
  const columns = toColumns(series);
  const breaks = resolveBreaks(options.breaks, columns.length);
  const scan = scanOutliers(columns.close, columns.flags, columns.length, threshold, window, breaks, method === 'remove');
  if (isOhlcvColumns(series)) {
    return { bars: applyOutliersToColumns(series, scan, method) as Out, outliers: scan.index };
  }
  return { bars: applyOutliersToRows(series, scan, method) as Out, outliers: scan.index };
}
