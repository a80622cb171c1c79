import { summarise, type FindingContext } from './internal/summarise-findings.js';
import { outlierState, scanOutliers } from './internal/outlier-scan.js';
import { prepareSeries, type PreparedSeries } from './internal/prepared-series.js';
import { requireTimeframe, resolveSection } from '../internal/options.js';
import { AlertSeverity } from '../schemas/alert-schema.js';
import { DEFAULT_VALIDITY, ValidityConfigSchema, type ValidityConfig } from '../schemas/config.js';
import type { OhlcvSeries } from '../schemas/ohlcv-columns.js';
import { QualityIssueType } from '../schemas/quality-report-schema.js';
import type { Timeframe } from '../time/timeframe.js';
import type { OhlcvRule } from '../validate/ohlcv-rule.js';
import { validateOhlcv } from '../validate/validate-ohlcv.js';
import type { ValidationResult } from '../validate/validation-issue.js';
import type { OutlierResult } from './detect-outliers.js';
import type { Outlier } from './outlier.js';
import type { QualityFinding } from './quality-finding.js';

/** Options of {@link checkValidity}. */
export interface CheckValidityOptions {
  /** Overrides of {@link DEFAULT_VALIDITY}. */
  readonly config?: Partial<ValidityConfig>;
  /** Stamped on the findings. */
  readonly symbol?: string;
  /** Stamped on the findings (alignment is a consistency check, not judged here). */
  readonly timeframe?: Timeframe;
}

/** What {@link checkValidity} returns. */
export interface ValidityResult {
  /** Share of bars that break no OHLCV rule and are no outlier, in [0, 1]; 0 for an empty series. */
  readonly score: number;
  /** Bars in the series. */
  readonly bars: number;
  /** Bars that break at least one OHLCV rule. */
  readonly invalidBars: number;
  /** Bars flagged by at least one outlier rule. */
  readonly outlierBars: number;
  /** Bars that are invalid, an outlier, or both (`score = 1 − badBars / bars`). */
  readonly badBars: number;
  /** The rule check (`validateOhlcv` without timeframe). */
  readonly validation: ValidationResult<OhlcvRule>;
  /** The outlier check (`detectOutliers`). */
  readonly outliers: OutlierResult;
  /** One `invalid_bar` finding per broken rule and one `outlier` finding per outlier rule, with counts. */
  readonly issues: readonly QualityFinding[];
}

/**
 * The validity metric: every OHLCV rule of `validateOhlcv` (except alignment, which
 * `checkConsistency` judges) plus the outlier rules of `detectOutliers`. Score = share of bars
 * that are valid and not outliers. Invalid bars are findings of severity `warning`, outliers
 * of severity `info`.
 *
 * @param bars - Rows or columns; not modified.
 * @param options - See {@link CheckValidityOptions}.
 * @returns The score, counts, the underlying results and summarised findings.
 * @throws {@link ConfigError} when an option is invalid.
 *
 * @example
 * ```ts
 * const t = Date.UTC(2025, 0, 30);
 * checkValidity([
 *   { timestamp: t, open: 10, high: 11, low: 9, close: 10, volume: 5 },
 *   { timestamp: t + 60_000, open: 10, high: 9, low: 9, close: 10, volume: 5 },
 * ]).score // 0.5 (the second bar's high is below its open)
 * ```
 */
export function checkValidity(bars: OhlcvSeries, options: CheckValidityOptions = {}): ValidityResult {
  const config = resolveSection(ValidityConfigSchema, DEFAULT_VALIDITY, options.config, ['config']);
  const timeframe = options.timeframe === undefined ? undefined : requireTimeframe(options.timeframe, ['timeframe']);
  return measureValidity(prepareSeries(bars), bars, config, { symbol: options.symbol, timeframe });
}

/**
 * The kernel of {@link checkValidity} on a prepared series (what `scoreQuality` calls): the
 * rule check of `validateOhlcv` and the outlier scan (`detectOutliers`' kernel) on the
 * columns, in input order.
 *
 * @param series - The prepared bars.
 * @param checked - The same bars as `validateOhlcv` reads them: rows as given quote their raw
 *   fields in its messages, `series.cols` do not (`scoreQuality` checks its columns).
 * @param config - The resolved validity configuration.
 * @param context - Stamped on the findings.
 * @returns The validity result.
 */
export function measureValidity(
  series: PreparedSeries,
  checked: OhlcvSeries,
  config: ValidityConfig,
  context: FindingContext,
): ValidityResult {
  const cols = series.cols;
  const n = cols.length;
  const validation = validateOhlcv(checked);
  const found: Outlier[] = [];
  const counts = scanOutliers(cols, config, outlierState(config), found);
  const outliers: OutlierResult = { outliers: found, outlierBars: counts.outlierBars, judgedBars: counts.judgedBars };
  let badBars = validation.invalidCount;
  if (outliers.outlierBars > 0) {
    const bad = new Uint8Array(n);
    for (const issue of validation.issues) bad[issue.index] = 1;
    for (const outlier of outliers.outliers) {
      if (bad[outlier.index] === 0) {
        bad[outlier.index] = 1;
        badBars++;
      }
    }
  }
  const issues = [
    ...summarise(
      validation.issues,
      QualityIssueType.InvalidBar,
      AlertSeverity.Warning,
      context,
      (rule, count) => `${count} bar${count === 1 ? '' : 's'} break${count === 1 ? 's' : ''} ${rule}`,
    ),
    ...summarise(
      outliers.outliers,
      QualityIssueType.Outlier,
      AlertSeverity.Info,
      context,
      (rule, count) => `${count} bar${count === 1 ? '' : 's'} flagged by ${rule}`,
    ),
  ];
  return {
    score: n === 0 ? 0 : (n - badBars) / n,
    bars: n,
    invalidBars: validation.invalidCount,
    outlierBars: outliers.outlierBars,
    badBars,
    validation,
    outliers,
    issues,
  };
}
