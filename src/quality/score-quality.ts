import { prepareSeries } from './internal/prepared-series.js';
import { measureCompleteness } from './internal/completeness-walk.js';
import { gridOf } from '../time/timeframe-grid.js';
import { weighQuality } from './internal/weigh-quality.js';
import { contextFields } from './internal/summarise-findings.js';
import { requireFinite, requireTimeframe, resolveSection } from '../internal/options.js';
import { AlertSeverity } from '../schemas/alert-schema.js';
import {
  CompletenessConfigSchema,
  ConsistencyConfigSchema,
  DEFAULT_COMPLETENESS,
  DEFAULT_CONSISTENCY,
  DEFAULT_FRESHNESS,
  DEFAULT_VALIDITY,
  FreshnessConfigSchema,
  ValidityConfigSchema,
  DEFAULT_ESCALATION,
  EscalationConfigSchema,
  type CompletenessConfig,
  type ConsistencyConfig,
  type EscalationConfig,
  type FreshnessConfig,
  type QualityWeights,
  type ValidityConfig,
} from '../schemas/config.js';
import type { OhlcvSeries } from '../schemas/ohlcv-columns.js';
import { QualityIssueType } from '../schemas/quality-report-schema.js';
import type { Timeframe } from '../time/timeframe.js';
import type { CompletenessResult } from './completeness-result.js';
import { measureConsistency, type ConsistencyReference, type ConsistencyResult } from './check-consistency.js';
import { checkFreshness, type FreshnessResult } from './check-freshness.js';
import { measureValidity, type ValidityResult } from './check-validity.js';
import { QualityCheck, type QualityFinding } from './quality-finding.js';
import { resolveWeights } from './internal/resolve-weights.js';

/**
 * The configuration sections the quality score reads; each is optional and partial (merged
 * over its `DEFAULT_*`). A whole `PipelineConfig` fits.
 */
export interface QualityConfig {
  /** Overrides of `DEFAULT_COMPLETENESS`. */
  readonly completeness?: Partial<CompletenessConfig>;
  /** Overrides of `DEFAULT_VALIDITY`. */
  readonly validity?: Partial<ValidityConfig>;
  /** Overrides of `DEFAULT_FRESHNESS`. */
  readonly freshness?: Partial<FreshnessConfig>;
  /** Overrides of `DEFAULT_CONSISTENCY`. */
  readonly consistency?: Partial<ConsistencyConfig>;
  /**
   * The four weights, complete: non-negative and summing to 1.
   * @defaultValue {@link DEFAULT_QUALITY_WEIGHTS}
   */
  readonly weights?: QualityWeights;
  /** Overrides of `DEFAULT_ESCALATION` (its `qualityBelow` adds a `low_quality` finding). */
  readonly escalation?: Partial<EscalationConfig>;
}

/** Options of {@link scoreQuality}. */
export interface ScoreQualityOptions {
  /** The bars' timeframe. ccxt spellings are accepted. */
  readonly timeframe: Timeframe;
  /** The current time, epoch ms (freshness is measured against it). */
  readonly now: number;
  /** Stamped on the findings. */
  readonly symbol?: string;
  /** Completeness window start, epoch ms, inclusive; see `checkCompleteness`. */
  readonly start?: number;
  /** Completeness window end, epoch ms, exclusive; see `checkCompleteness`. */
  readonly end?: number;
  /** A reference for the consistency check; see `checkConsistency`. */
  readonly reference?: ConsistencyReference;
  /** Configuration overrides; see {@link QualityConfig}. */
  readonly config?: QualityConfig;
}

/** The four metrics, each in [0, 1]. */
export interface QualityMetrics {
  /** Present / expected bars. */
  readonly completeness: number;
  /** Share of bars valid and not outliers. */
  readonly validity: number;
  /** 1 up to the maximum delay, 0 at twice it. */
  readonly freshness: number;
  /** Share of consistency checks passed. */
  readonly consistency: number;
}

/** What {@link scoreQuality} returns: the specification's `calculate_quality_score` output and the details behind it. */
export interface QualityScore {
  /** The weighted score, in [0, 1], never NaN. */
  readonly score: number;
  /** The four metrics. */
  readonly metrics: QualityMetrics;
  /** The weights applied. */
  readonly weights: QualityWeights;
  /** Every finding of the four checks (completeness, validity, freshness, consistency, then `low_quality`), stamped with symbol and timeframe. */
  readonly issues: readonly QualityFinding[];
  /** The completeness check in full. */
  readonly completeness: CompletenessResult;
  /** The validity check in full. */
  readonly validity: ValidityResult;
  /** The freshness check in full. */
  readonly freshness: FreshnessResult;
  /** The consistency check in full. */
  readonly consistency: ConsistencyResult;
}

/**
 * The specification's `calculate_quality_score`: completeness, validity, freshness and
 * consistency, weighted 0.3 / 0.3 / 0.25 / 0.15 by default (weights configurable, validated to
 * be non-negative and to sum to 1), with their findings. Freshness is judged on the newest
 * bar (the largest finite timestamp, so order does not matter). Bad data never throws; every
 * metric and the score are finite and in [0, 1] (an empty series scores 0).
 *
 * @param bars - Rows or columns; not modified (rows are converted to columns once, and the timestamps' order and newest time worked out once for the four metrics).
 * @param options - See {@link ScoreQualityOptions}.
 * @returns The score, the four metrics, the findings and each check's full result.
 * @throws {@link ConfigError} for an unknown timeframe, a non-finite `now`, weights that are negative or do not sum to 1, or any invalid section.
 *
 * @example
 * ```ts
 * const t = Date.UTC(2025, 0, 30, 10, 0);
 * const bars = [0, 1, 2].map((m) => ({ timestamp: t + m * 60_000, open: 100, high: 101, low: 99, close: 100, volume: 5 }));
 * const q = scoreQuality(bars, { timeframe: '1m', now: t + 3 * 60_000 + 5_000, symbol: 'BTCUSD' });
 * q.score   // 1
 * q.metrics // { completeness: 1, validity: 1, freshness: 1, consistency: 1 }
 * q.issues  // []
 * ```
 */
export function scoreQuality(bars: OhlcvSeries, options: ScoreQualityOptions): QualityScore {
  const tf = requireTimeframe(options.timeframe, ['timeframe']);
  const now = requireFinite(options.now, ['now']);
  const config = options.config ?? {};
  const weights = resolveWeights(config.weights);
  const escalation = resolveSection(EscalationConfigSchema, DEFAULT_ESCALATION, config.escalation, ['config', 'escalation']);
  const symbol = options.symbol;
  // Converted and examined once; every metric's kernel reads this.
  const series = prepareSeries(bars);
  // Each section is checked here so that a bad option is reported under its full path.
  const completenessConfig = resolveSection(CompletenessConfigSchema, DEFAULT_COMPLETENESS, config.completeness, [
    'config',
    'completeness',
  ]);
  const validityConfig = resolveSection(ValidityConfigSchema, DEFAULT_VALIDITY, config.validity, ['config', 'validity']);
  const freshnessConfig = resolveSection(FreshnessConfigSchema, DEFAULT_FRESHNESS, config.freshness, ['config', 'freshness']);
  const consistencyConfig = resolveSection(ConsistencyConfigSchema, DEFAULT_CONSISTENCY, config.consistency, ['config', 'consistency']);
  const context = { symbol, timeframe: tf };
  const completeness = measureCompleteness(series, options.start, options.end, gridOf(tf), completenessConfig, context);
  const validity = measureValidity(series, series.cols, validityConfig, context);
  const last = series.newest;
  const freshness = checkFreshness(
    Number.isFinite(last) ? last : undefined,
    tf,
    now,
    freshnessConfig,
    symbol === undefined ? {} : { symbol },
  );
  const consistency = measureConsistency(series, tf, options.reference, consistencyConfig, symbol);
  const metrics: QualityMetrics = {
    completeness: completeness.score,
    validity: validity.score,
    freshness: freshness.score,
    consistency: consistency.score,
  };
  const score = weighQuality(metrics, weights);
  const issues: QualityFinding[] = [...completeness.issues, ...validity.issues, ...freshness.issues, ...consistency.issues];
  if (score < escalation.qualityBelow) {
    issues.push({
      type: QualityIssueType.LowQuality,
      rule: QualityCheck.QualityBelow,
      severity: AlertSeverity.Critical,
      ...contextFields(context),
      ...(Number.isFinite(last) ? { timestamp: last, endTimestamp: last } : {}),
      count: series.cols.length,
      message: `Quality score ${score.toFixed(3)} is below ${escalation.qualityBelow} (completeness ${metrics.completeness.toFixed(3)}, validity ${metrics.validity.toFixed(3)}, freshness ${metrics.freshness.toFixed(3)}, consistency ${metrics.consistency.toFixed(3)})`,
    });
  }
  return { score, metrics, weights, issues, completeness, validity, freshness, consistency };
}
