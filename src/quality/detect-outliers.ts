import { looseColumns } from '../internal/columns.js';
import { resolveSection } from '../internal/options.js';
import { outlierState, scanOutliers } from './internal/outlier-scan.js';
import { DEFAULT_VALIDITY, ValidityConfigSchema, type ValidityConfig } from '../schemas/config.js';
import type { OhlcvSeries } from '../schemas/ohlcv-columns.js';
import type { Outlier } from './outlier.js';

/** What {@link detectOutliers} returns. */
export interface OutlierResult {
  /** Every finding, in bar order (a bar may be flagged by several rules). */
  readonly outliers: readonly Outlier[];
  /** Distinct bars flagged by at least one rule. */
  readonly outlierBars: number;
  /** Bars judged: real (unflagged) bars; synthetic bars are skipped. */
  readonly judgedBars: number;
}

/**
 * Finds the bars whose price or volume is implausible against the recent past (rules of
 * `OutlierRule`): a single-bar close-to-close change beyond `priceChangeThreshold`
 * (10 %), volume beyond `volumeSpikeThreshold` (20×) its mean over the previous
 * `volumeWindow` (20) real bars, zero volume when not allowed, and returns more than
 * `outlierStdDevs` (5) deviations from the previous `outlierWindow` (100) returns — by mean
 * and sample standard deviation (`stddev`), or by median and 1.4826 × MAD (`mad`, robust to
 * the outliers themselves).
 *
 * Rules of judgement: synthetic bars (any `flag`: interpolated, forward-filled, clipped) are
 * neither judged nor fed into the windows, so a fill cannot raise or mask an alarm; prices and
 * returns compare with the previous real bar with a positive finite close. A window is used
 * only once full (the first `volumeWindow` bars have no volume test, the first
 * `outlierWindow` returns no deviation test); a window with zero mean volume or zero spread
 * has no scale and judges nothing. Bars with non-finite or negative values are left to
 * `validateOhlcv` (not judged here). Returns flagged as outliers stay in the window.
 *
 * @param bars - Rows or columns; not modified.
 * @param config - Overrides of {@link DEFAULT_VALIDITY}.
 * @returns Findings in bar order, and counts.
 * @throws {@link ConfigError} when an option is invalid (for example a negative threshold).
 *
 * @example
 * ```ts
 * const t = Date.UTC(2025, 0, 30);
 * const bar = (i: number, close: number) =>
 *   ({ timestamp: t + i * 60_000, open: close, high: close, low: close, close, volume: 1 });
 * detectOutliers([bar(0, 100), bar(1, 112)]).outliers
 * // [{ rule: 'price_change', index: 1, timestamp: t + 60000, value: 0.12000000000000011, threshold: 0.1,
 * //    message: 'Bar 1: close changed +12.00 % from 100 to 112 (limit 10 %)' }]
 * ```
 */
export function detectOutliers(bars: OhlcvSeries, config?: Partial<ValidityConfig>): OutlierResult {
  const options = resolveSection(ValidityConfigSchema, DEFAULT_VALIDITY, config, []);
  const cols = looseColumns(bars);
  const outliers: Outlier[] = [];
  const counts = scanOutliers(cols, options, outlierState(options), outliers);
  return { outliers, outlierBars: counts.outlierBars, judgedBars: counts.judgedBars };
}
