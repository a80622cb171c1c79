import type { AlertSeverity } from '../schemas/alert-schema.js';
import type { QualityIssueType } from '../schemas/quality-report-schema.js';
import type { Timeframe } from '../time/timeframe.js';
import type { OhlcvRule } from '../validate/ohlcv-rule.js';
import type { OutlierRule } from './outlier-rule.js';

/**
 * The quality checks that are neither an OHLCV rule nor an outlier rule; they name the
 * check behind a {@link QualityFinding} in its `rule`.
 *
 * - `gap`: missing bars within the per-timeframe maximum (severity `info`);
 * - `max_gap_bars`: a run of missing bars longer than the timeframe's maximum (`warning`);
 * - `critical_gap`: a gap longer than `criticalGapBars` on a critical timeframe (`critical`);
 * - `max_missing_share_daily`: a UTC day with more than `maxMissingShareDaily` of its bars missing;
 * - `no_data`: nothing to score (an empty series, or no bar inside the window);
 * - `max_delay`: the newest bar closed longer ago than the freshness limit;
 * - `conflicting_duplicate`: two bars with the same open time but different values;
 * - `reference_mismatch`: a bar disagrees with the reference beyond the relative tolerance;
 * - `quality_below`: the weighted score is below the escalation threshold.
 */
export const QualityCheck = {
  Gap: 'gap',
  MaxGapBars: 'max_gap_bars',
  CriticalGap: 'critical_gap',
  MaxMissingShareDaily: 'max_missing_share_daily',
  NoData: 'no_data',
  MaxDelay: 'max_delay',
  ConflictingDuplicate: 'conflicting_duplicate',
  ReferenceMismatch: 'reference_mismatch',
  QualityBelow: 'quality_below',
} as const;

/** One of the values of {@link QualityCheck}. */
export type QualityCheck = (typeof QualityCheck)[keyof typeof QualityCheck];

/**
 * One thing a quality check found, summarised over the bars it concerns. It maps onto an
 * entry of the quality report's `issues_24h` (`QualityIssueSchema`): `type` and `timeframe`
 * as they are, `timestamp` as ISO-8601, `count` as `duration_bars` (for gaps), `severity`
 * and `message` as they are; `resolution` is decided by whoever acts on it (the gap
 * strategies, the preprocessing), not by the check.
 */
export interface QualityFinding {
  /** The report's issue type: `gap_detected`, `invalid_bar`, `outlier`, `stale_data`, … */
  readonly type: QualityIssueType;
  /** The precise check: an {@link OhlcvRule}, an {@link OutlierRule} or a {@link QualityCheck}. */
  readonly rule: OhlcvRule | OutlierRule | QualityCheck;
  /** `info`, `warning` or `critical` (the alert severities). */
  readonly severity: AlertSeverity;
  /** The symbol, when the caller named it. */
  readonly symbol?: string;
  /** The series' timeframe, when known. */
  readonly timeframe?: Timeframe;
  /**
   * Open time (epoch ms) of the first bar concerned: the first missing bar of a gap, the
   * first invalid bar, the newest bar for stale data, a day's start for a daily share. Absent
   * only when there is no bar to point at (an empty series).
   */
  readonly timestamp?: number;
  /** Open time (epoch ms) of the last bar concerned; equal to `timestamp` for a single bar. */
  readonly endTimestamp?: number;
  /** How many bars it concerns: missing bars of a gap (`duration_bars`), invalid bars, … */
  readonly count: number;
  /** Human-readable explanation with the values involved. */
  readonly message: string;
}
