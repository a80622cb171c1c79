import { z } from 'zod';
import { CountSchema, FractionSchema } from './internal/wire-fields.js';
import { AlertSeveritySchema } from './alert-schema.js';
import { IsoDateSchema, IsoTimestampSchema } from './iso-timestamp-schema.js';
import { TimeframeSchema } from './timeframe-schema.js';

/**
 * What a quality issue of a report is about.
 *
 * - `gap_detected`: missing bars (the specification's example);
 * - `invalid_bar`: a bar broke an OHLCV rule (`high_gte_low`, …);
 * - `outlier`: a price change or volume beyond its threshold (10 %, 20×, 5 σ);
 * - `stale_data`: the newest bar is older than the freshness limit;
 * - `duplicate_bar`: two bars with the same open time;
 * - `inconsistent_source`: a bar disagrees with the reference source;
 * - `low_quality`: the quality score fell below the escalation threshold.
 */
export const QualityIssueType = {
  GapDetected: 'gap_detected',
  InvalidBar: 'invalid_bar',
  Outlier: 'outlier',
  StaleData: 'stale_data',
  DuplicateBar: 'duplicate_bar',
  InconsistentSource: 'inconsistent_source',
  LowQuality: 'low_quality',
} as const;

/** One of the values of {@link QualityIssueType}. */
export type QualityIssueType = (typeof QualityIssueType)[keyof typeof QualityIssueType];

/** zod schema of {@link QualityIssueType}. */
export const QualityIssueTypeSchema = z.enum([
  QualityIssueType.GapDetected,
  QualityIssueType.InvalidBar,
  QualityIssueType.Outlier,
  QualityIssueType.StaleData,
  QualityIssueType.DuplicateBar,
  QualityIssueType.InconsistentSource,
  QualityIssueType.LowQuality,
]);

/**
 * What the pipeline did about a quality issue.
 *
 * - `interpolated`: a small gap (1–3 bars) filled by linear interpolation, bars flagged;
 * - `forward_filled`: a medium gap (4–10 bars) filled with the previous close, bars flagged;
 * - `marked_missing`: a large gap (> 10 bars) left empty, excluded from features, escalated;
 * - `removed`: invalid bars removed and flagged (the specification's `remove_and_flag`);
 * - `clipped`: outlier prices clipped and the bar flagged;
 * - `flagged`: reported only, data unchanged;
 * - `used_cached`: stale data, cached data served and an alert raised.
 */
export const IssueResolution = {
  Interpolated: 'interpolated',
  ForwardFilled: 'forward_filled',
  MarkedMissing: 'marked_missing',
  Removed: 'removed',
  Clipped: 'clipped',
  Flagged: 'flagged',
  UsedCached: 'used_cached',
} as const;

/** One of the values of {@link IssueResolution}. */
export type IssueResolution = (typeof IssueResolution)[keyof typeof IssueResolution];

/** zod schema of {@link IssueResolution}. */
export const IssueResolutionSchema = z.enum([
  IssueResolution.Interpolated,
  IssueResolution.ForwardFilled,
  IssueResolution.MarkedMissing,
  IssueResolution.Removed,
  IssueResolution.Clipped,
  IssueResolution.Flagged,
  IssueResolution.UsedCached,
]);

/**
 * One quality issue in a report: `timestamp` (ISO-8601 UTC) is the open time of the first
 * bar concerned; `duration_bars` how many bars it spans (gaps); `severity` and `message`
 * are optional detail beyond the specification's example.
 */
export const QualityIssueSchema = z.object({
  timestamp: IsoTimestampSchema,
  type: QualityIssueTypeSchema,
  symbol: z.string().min(1),
  timeframe: TimeframeSchema,
  duration_bars: z.number().int().positive().optional(),
  resolution: IssueResolutionSchema,
  severity: AlertSeveritySchema.optional(),
  message: z.string().optional(),
});

/** One quality issue of a report; see {@link QualityIssueSchema}. */
export type QualityIssue = z.output<typeof QualityIssueSchema>;

/**
 * The `quality_report` document (the specification's `/state/data/quality_report.json`),
 * one per UTC day (`report_date`, `YYYY-MM-DD`).
 *
 * - `overall_quality` and the per-symbol `quality_score`, `completeness`, `validity`,
 *   `freshness` (and `consistency` when a reference source exists) are fractions in
 *   `[0, 1]`; `overall_quality` is `null` when no symbol was scored;
 * - `quality_by_symbol[symbol].issues` and `issues_24h` list {@link QualityIssueSchema}
 *   entries; `recommendations` are human-readable sentences.
 *
 * @example
 * ```ts
 * QualityReportSchema.parse(JSON.parse(text)).issues_24h[0]?.resolution // 'forward_filled'
 * ```
 */
export const QualityReportSchema = z.object({
  report_date: IsoDateSchema,
  symbols_monitored: CountSchema,
  overall_quality: FractionSchema.nullable(),
  quality_by_symbol: z.record(
    z.string().min(1),
    z.object({
      quality_score: FractionSchema,
      completeness: FractionSchema,
      validity: FractionSchema,
      freshness: FractionSchema,
      consistency: FractionSchema.optional(),
      issues: z.array(QualityIssueSchema),
    }),
  ),
  issues_24h: z.array(QualityIssueSchema),
  recommendations: z.array(z.string()),
});

/** The `quality_report` document; see {@link QualityReportSchema}. */
export type QualityReport = z.output<typeof QualityReportSchema>;
