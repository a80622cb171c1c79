/**
 * The quality sections of the configuration (completeness, validity, freshness, consistency,
 * weights, escalation) with the specification's defaults; `config.ts` re-exports them and
 * composes the whole pipeline configuration from them.
 */
import { z } from 'zod';
import { TimeframeSchema } from './timeframe-schema.js';
import { fraction, nonNegativeInt, positive, positiveInt } from './internal/config-numbers.js';

/** Completeness checks; see {@link DEFAULT_COMPLETENESS}. */
export const CompletenessConfigSchema = z.strictObject({
  /** Longest acceptable run of consecutive missing bars, per timeframe. */
  maxGapBars: z.partialRecord(TimeframeSchema, nonNegativeInt),
  /** Largest acceptable share of missing bars in a UTC day (a fraction, 0.01 = 1 %). */
  maxMissingShareDaily: fraction,
  /** A gap longer than this many bars on a critical timeframe is critical. */
  criticalGapBars: nonNegativeInt,
  /** Timeframes with zero tolerance for gaps longer than `criticalGapBars`. */
  criticalTimeframes: z.array(TimeframeSchema),
});
/** Completeness checks. */
export type CompletenessConfig = z.output<typeof CompletenessConfigSchema>;

/**
 * The specification's completeness checks: at most 5 consecutive missing 1m bars, 2 on 5m,
 * 1 on 1H; at most 1 % of a day's bars missing; 1m and 5m gaps longer than 3 bars are critical.
 *
 * @defaultValue `{ maxGapBars: { '1m': 5, '5m': 2, '1H': 1 }, maxMissingShareDaily: 0.01, criticalGapBars: 3, criticalTimeframes: ['1m', '5m'] }`
 */
export const DEFAULT_COMPLETENESS: CompletenessConfig = {
  maxGapBars: { '1m': 5, '5m': 2, '1H': 1 },
  maxMissingShareDaily: 0.01,
  criticalGapBars: 3,
  criticalTimeframes: ['1m', '5m'],
};

/** Validity and outlier checks; see {@link DEFAULT_VALIDITY}. */
export const ValidityConfigSchema = z.strictObject({
  /** A single-bar close-to-close change beyond this fraction is an outlier (0.10 = 10 %). */
  priceChangeThreshold: positive,
  /** Volume beyond this multiple of its rolling average is a spike. */
  volumeSpikeThreshold: positive,
  /** Bars in the rolling volume average (the bars before the one judged). */
  volumeWindow: positiveInt,
  /** Whether a real bar may have zero volume. */
  zeroVolumeAllowed: z.boolean(),
  /** Returns beyond this many standard deviations of the rolling window are outliers. */
  outlierStdDevs: positive,
  /** Bars in the rolling window of returns used for the standard-deviation test. */
  outlierWindow: positiveInt,
  /** `stddev`: mean and standard deviation; `mad`: median and scaled median absolute deviation. */
  outlierMethod: z.enum(['stddev', 'mad']),
});
/** Validity and outlier checks. */
export type ValidityConfig = z.output<typeof ValidityConfigSchema>;

/**
 * The specification's validity thresholds: a 10 % single-bar price change, volume 20× its
 * average, no zero volume, outliers beyond 5 standard deviations. The two windows are this
 * library's choice: 20 bars for the volume average, 100 bars of returns for the deviation.
 *
 * @defaultValue `{ priceChangeThreshold: 0.1, volumeSpikeThreshold: 20, volumeWindow: 20, zeroVolumeAllowed: false, outlierStdDevs: 5, outlierWindow: 100, outlierMethod: 'stddev' }`
 */
export const DEFAULT_VALIDITY: ValidityConfig = {
  priceChangeThreshold: 0.1,
  volumeSpikeThreshold: 20,
  volumeWindow: 20,
  zeroVolumeAllowed: false,
  outlierStdDevs: 5,
  outlierWindow: 100,
  outlierMethod: 'stddev',
};

/** Freshness limits; see {@link DEFAULT_FRESHNESS}. */
export const FreshnessConfigSchema = z.strictObject({
  /**
   * Largest acceptable delay, in ms, between a bar's close and `now`, per timeframe.
   * A timeframe not listed may be as late as its own duration.
   */
  maxDelayMs: z.partialRecord(TimeframeSchema, positive),
  /** Largest acceptable delay of a real-time feed's update, in ms. */
  realTimeMaxDelayMs: positive,
});
/** Freshness limits. */
export type FreshnessConfig = z.output<typeof FreshnessConfigSchema>;

/**
 * The specification's freshness limits: 1m data 60 s, 5m 300 s, 1H 3600 s; real-time feeds 1 s.
 *
 * @defaultValue `{ maxDelayMs: { '1m': 60000, '5m': 300000, '1H': 3600000 }, realTimeMaxDelayMs: 1000 }`
 */
export const DEFAULT_FRESHNESS: FreshnessConfig = {
  maxDelayMs: { '1m': 60_000, '5m': 300_000, '1H': 3_600_000 },
  realTimeMaxDelayMs: 1000,
};

/** Consistency checks; see {@link DEFAULT_CONSISTENCY}. */
export const ConsistencyConfigSchema = z.strictObject({
  /** Largest relative difference at which two prices or volumes still agree. */
  relativeTolerance: z.number().min(0),
});
/** Consistency checks. */
export type ConsistencyConfig = z.output<typeof ConsistencyConfigSchema>;

/**
 * Two sources (or a source's own higher timeframe and the aggregate of its base timeframe)
 * agree when prices and volumes differ by at most 0.1 % (this library's choice).
 *
 * @defaultValue `{ relativeTolerance: 0.001 }`
 */
export const DEFAULT_CONSISTENCY: ConsistencyConfig = { relativeTolerance: 0.001 };

/** Weights of the quality score; non-negative and summing to 1. */
export const QualityWeightsSchema = z
  .strictObject({
    completeness: z.number().min(0),
    validity: z.number().min(0),
    freshness: z.number().min(0),
    consistency: z.number().min(0),
  })
  .refine((w) => Math.abs(w.completeness + w.validity + w.freshness + w.consistency - 1) <= 1e-9, {
    message: 'Expected the quality weights to sum to 1',
  });
/** Weights of the quality score. */
export type QualityWeights = z.output<typeof QualityWeightsSchema>;

/**
 * The specification's score weights.
 *
 * @defaultValue `{ completeness: 0.3, validity: 0.3, freshness: 0.25, consistency: 0.15 }`
 */
export const DEFAULT_QUALITY_WEIGHTS: QualityWeights = {
  completeness: 0.3,
  validity: 0.3,
  freshness: 0.25,
  consistency: 0.15,
};

/** Escalation triggers; see {@link DEFAULT_ESCALATION}. */
export const EscalationConfigSchema = z.strictObject({
  /** Escalate when the quality score drops below this value. */
  qualityBelow: fraction,
  /** Escalate when a source has been unavailable for longer than this, in ms. */
  sourceUnavailableMs: positive,
  /**
   * How far back, in ms, a critical gap still counts as "recent" for `evaluateEscalation`. The
   * pipeline escalates each critical gap when it finds it, however old (a backfill finds old ones).
   */
  recentGapWindowMs: positive,
  /**
   * After a `quality_below` escalation, how long, in ms, the score must hold at or above
   * `qualityBelow` before a new drop escalates again (so a score hovering around the threshold
   * escalates once). `null`: the base timeframe's quality window (`max(1 day, 30 bars)`), at
   * least 5 minutes.
   */
  qualityRearmMs: positive.nullable(),
});
/** Escalation triggers. */
export type EscalationConfig = z.output<typeof EscalationConfigSchema>;

/**
 * The specification's escalation triggers: quality below 0.8, a source unavailable for more
 * than 5 minutes. "Recent" data for critical gaps is the last hour, and a quality escalation
 * re-arms after the score has held for the quality window (both this library's choices).
 *
 * @defaultValue `{ qualityBelow: 0.8, sourceUnavailableMs: 300000, recentGapWindowMs: 3600000, qualityRearmMs: null }`
 */
export const DEFAULT_ESCALATION: EscalationConfig = {
  qualityBelow: 0.8,
  sourceUnavailableMs: 300_000,
  recentGapWindowMs: 3_600_000,
  qualityRearmMs: null,
};
