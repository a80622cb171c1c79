import { z } from 'zod';
import { DAY_MS, type Timeframe } from '../time/timeframe.js';
import { TimeframeSchema } from './timeframe-schema.js';

const fraction = z.number().min(0).max(1);
const positive = z.number().positive().refine(Number.isFinite, { message: 'Expected a finite number' });
const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();

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

/** Gap size classes; see {@link DEFAULT_GAP_STRATEGIES}. */
export const GapStrategiesSchema = z
  .strictObject({
    /** Gaps of 1 to `smallMaxBars` missing bars are interpolated linearly (flagged). */
    smallMaxBars: nonNegativeInt,
    /** Gaps up to `mediumMaxBars` are forward-filled (flagged, notify); longer ones are marked missing. */
    mediumMaxBars: nonNegativeInt,
  })
  .refine((g) => g.mediumMaxBars >= g.smallMaxBars, {
    message: 'Expected `mediumMaxBars` to be at least `smallMaxBars`',
  });
/** Gap size classes. */
export type GapStrategies = z.output<typeof GapStrategiesSchema>;

/**
 * The specification's gap strategies: 1–3 bars linear interpolation, 4–10 forward fill,
 * more than 10 marked missing, excluded from features and escalated.
 *
 * @defaultValue `{ smallMaxBars: 3, mediumMaxBars: 10 }`
 */
export const DEFAULT_GAP_STRATEGIES: GapStrategies = { smallMaxBars: 3, mediumMaxBars: 10 };

/** The preprocessing recipe; see {@link DEFAULT_PREPROCESSING}. */
export const PreprocessingConfigSchema = z.strictObject({
  /** Drop duplicate timestamps. */
  removeDuplicates: z.boolean(),
  /** Which duplicate wins when two bars share a timestamp but differ. */
  duplicatePolicy: z.enum(['first', 'last', 'merge']),
  /** `by_size`: the gap strategies (interpolate, forward fill, mark missing); `forward_fill`: every gap up to the medium size forward-filled; `none`: leave gaps. */
  gapHandling: z.enum(['by_size', 'forward_fill', 'none']),
  /** What to do with outliers. */
  outliers: z.enum(['clip', 'remove', 'flag', 'none']),
  /** Outlier threshold in standard deviations. */
  outlierThreshold: positive,
  /** Add simple returns. */
  returns: z.boolean(),
  /** Add log returns. */
  logReturns: z.boolean(),
  /** Add ATR. */
  atr: z.boolean(),
  /** ATR period in bars (Wilder smoothing). */
  atrPeriod: positiveInt,
});
/** The preprocessing recipe. */
export type PreprocessingConfig = z.output<typeof PreprocessingConfigSchema>;

/**
 * The specification's preprocessing: drop duplicates, sort, fill gaps, clip outliers at 5,
 * returns, log returns, ATR(14). Gaps are filled by size (the gap strategies); duplicates
 * keep the last bar received (a later answer from an exchange corrects an earlier one).
 *
 * @defaultValue `{ removeDuplicates: true, duplicatePolicy: 'last', gapHandling: 'by_size', outliers: 'clip', outlierThreshold: 5, returns: true, logReturns: true, atr: true, atrPeriod: 14 }`
 */
export const DEFAULT_PREPROCESSING: PreprocessingConfig = {
  removeDuplicates: true,
  duplicatePolicy: 'last',
  gapHandling: 'by_size',
  outliers: 'clip',
  outlierThreshold: 5,
  returns: true,
  logReturns: true,
  atr: true,
  atrPeriod: 14,
};

/** Retention per timeframe in ms; `null` keeps everything. A timeframe not listed is kept forever. */
export const RetentionSchema = z.partialRecord(TimeframeSchema, positive.nullable());
/** Retention per timeframe in ms; `null` keeps everything. */
export type Retention = z.output<typeof RetentionSchema>;

/**
 * The specification's retention: 1m 90 days, 5m 180, 15m 365, 1H 730, 4H and 1D unlimited.
 *
 * @defaultValue `{ '1m': 90 d, '5m': 180 d, '15m': 365 d, '1H': 730 d, '4H': null, '1D': null }` (in ms)
 */
export const DEFAULT_RETENTION: Retention = {
  '1m': 90 * DAY_MS,
  '5m': 180 * DAY_MS,
  '15m': 365 * DAY_MS,
  '1H': 730 * DAY_MS,
  '4H': null,
  '1D': null,
};

/**
 * A source's rate limit:
 * - `sliding_window` (the default): at most `requestsPerMinute` request weight in every 60 s
 *   window, whenever it starts: the specification's "1200 requests per minute" held exactly.
 * - `token_bucket`: a bucket of `requestsPerMinute` tokens refilled at `requestsPerMinute` a
 *   minute; it allows bursts, so up to twice `requestsPerMinute` in one minute.
 * - `weight_window`: at most `limit` weight per clock-aligned window (Binance).
 */
export const RateLimitConfigSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('sliding_window'),
    /** Request weight allowed in any 60 s window (a plain request weighs 1). */
    requestsPerMinute: positive,
  }),
  z.strictObject({
    kind: z.literal('token_bucket'),
    /** Requests allowed per minute on average; also the bucket's capacity (the largest burst). */
    requestsPerMinute: positive,
  }),
  z.strictObject({
    kind: z.literal('weight_window'),
    /** Weight allowed per window. */
    limit: positive,
    /** Window length in ms; windows are aligned to the epoch (Binance: each clock minute). */
    windowMs: positive,
  }),
]);
/** A source's rate limit. */
export type RateLimitConfig = z.output<typeof RateLimitConfigSchema>;

/**
 * The specification's primary source limit: 1200 requests per minute, held in every 60 s
 * window (sliding), so no minute, however it is cut, sees more than 1200.
 * @defaultValue `{ kind: 'sliding_window', requestsPerMinute: 1200 }`
 */
export const DEFAULT_RATE_LIMIT: RateLimitConfig = { kind: 'sliding_window', requestsPerMinute: 1200 };

/**
 * Binance's current REST limit: 6000 request weight per clock-aligned minute.
 * @defaultValue `{ kind: 'weight_window', limit: 6000, windowMs: 60000 }`
 */
export const BINANCE_WEIGHT_LIMIT: RateLimitConfig = { kind: 'weight_window', limit: 6000, windowMs: 60_000 };

/** The feed failure protocol; see {@link DEFAULT_FEED_FAILURE}. */
export const FeedFailureConfigSchema = z.strictObject({
  /** A request without an answer for this long (ms) has failed. */
  timeoutMs: positive,
  /** This many consecutive failures mark the feed as failing. */
  errorThreshold: positiveInt,
  /** Wait before retrying the primary source, in ms. */
  retryDelayMs: z.number().min(0),
  /** Wait before failing over to the backup source, in ms. */
  failoverDelayMs: z.number().min(0),
  /** Notify when serving cached data. */
  notifyOnCached: z.boolean(),
  /** Escalate when halting. */
  escalateOnHalt: z.boolean(),
  /** Ask for a backfill when a source recovers. */
  backfillOnRestore: z.boolean(),
  /** At most this many bars are backfilled; the rest is reported as a gap. */
  maxBackfillBars: nonNegativeInt,
  /** A recovered primary must answer successfully for this long (ms) before it is used again. */
  recoveryStableMs: z.number().min(0),
});
/** The feed failure protocol. */
export type FeedFailureConfig = z.output<typeof FeedFailureConfigSchema>;

/**
 * The specification's feed failure protocol: detect by a 30 s timeout or 3 errors; retry
 * after 5 s; fail over to the backup after 10 s; use cached data and notify; halt and
 * escalate; backfill on restore, at most 100 bars. Switching back to a recovered primary
 * waits for 60 s of successful answers (this library's choice, against flapping).
 *
 * @defaultValue `{ timeoutMs: 30000, errorThreshold: 3, retryDelayMs: 5000, failoverDelayMs: 10000, notifyOnCached: true, escalateOnHalt: true, backfillOnRestore: true, maxBackfillBars: 100, recoveryStableMs: 60000 }`
 */
export const DEFAULT_FEED_FAILURE: FeedFailureConfig = {
  timeoutMs: 30_000,
  errorThreshold: 3,
  retryDelayMs: 5000,
  failoverDelayMs: 10_000,
  notifyOnCached: true,
  escalateOnHalt: true,
  backfillOnRestore: true,
  maxBackfillBars: 100,
  recoveryStableMs: 60_000,
};

/** Delivery settings; see {@link DEFAULT_DELIVERY}. */
export const DeliveryConfigSchema = z.strictObject({
  /** Real-time documents are delivered at most once per this interval, in ms. */
  updateIntervalMs: positive,
  /** Records queued per sink before backpressure applies. */
  bufferSize: positiveInt,
  /** Formats offered for batch (on-request) datasets. */
  formats: z.array(z.enum(['parquet', 'json'])),
});
/** Delivery settings. */
export type DeliveryConfig = z.output<typeof DeliveryConfigSchema>;

/**
 * The specification's delivery: real-time every 1 s, buffer of 100, batch in parquet or json.
 * @defaultValue `{ updateIntervalMs: 1000, bufferSize: 100, formats: ['parquet', 'json'] }`
 */
export const DEFAULT_DELIVERY: DeliveryConfig = { updateIntervalMs: 1000, bufferSize: 100, formats: ['parquet', 'json'] };

/** The whole configuration; build it with `resolveConfig`. */
export const PipelineConfigSchema = z.strictObject({
  /** Symbols to ingest. */
  symbols: z.array(z.string().min(1)),
  /** The timeframe fetched from sources; all others are aggregated from it. */
  baseTimeframe: TimeframeSchema,
  /** Timeframes kept and delivered (the base timeframe included). */
  timeframes: z.array(TimeframeSchema).min(1),
  retention: RetentionSchema,
  rateLimit: RateLimitConfigSchema,
  completeness: CompletenessConfigSchema,
  validity: ValidityConfigSchema,
  freshness: FreshnessConfigSchema,
  consistency: ConsistencyConfigSchema,
  weights: QualityWeightsSchema,
  escalation: EscalationConfigSchema,
  gaps: GapStrategiesSchema,
  preprocessing: PreprocessingConfigSchema,
  feedFailure: FeedFailureConfigSchema,
  delivery: DeliveryConfigSchema,
});
/** The whole configuration. */
export type PipelineConfig = z.output<typeof PipelineConfigSchema>;

/** The specification's symbols and timeframes. */
const DEFAULT_TIMEFRAMES: Timeframe[] = ['1m', '5m', '15m', '1H', '4H', '1D'];

/**
 * Every default of the original specification in one object.
 * @defaultValue the `DEFAULT_*` constants, symbols `BTCUSD` and `ETHUSD`, base timeframe `1m`, timeframes `1m 5m 15m 1H 4H 1D`
 */
export const DEFAULT_CONFIG: PipelineConfig = {
  symbols: ['BTCUSD', 'ETHUSD'],
  baseTimeframe: '1m',
  timeframes: DEFAULT_TIMEFRAMES,
  retention: DEFAULT_RETENTION,
  rateLimit: DEFAULT_RATE_LIMIT,
  completeness: DEFAULT_COMPLETENESS,
  validity: DEFAULT_VALIDITY,
  freshness: DEFAULT_FRESHNESS,
  consistency: DEFAULT_CONSISTENCY,
  weights: DEFAULT_QUALITY_WEIGHTS,
  escalation: DEFAULT_ESCALATION,
  gaps: DEFAULT_GAP_STRATEGIES,
  preprocessing: DEFAULT_PREPROCESSING,
  feedFailure: DEFAULT_FEED_FAILURE,
  delivery: DEFAULT_DELIVERY,
};
