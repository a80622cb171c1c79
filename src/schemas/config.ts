/**
 * The pipeline's configuration: every section's schema with the specification's defaults and
 * the whole `PipelineConfigSchema`. The quality sections live in `quality-config.ts` and are
 * re-exported here, so every section is still imported from this file.
 */
import { z } from 'zod';
import { DAY_MS, type Timeframe } from '../time/timeframe.js';
import { TimeframeSchema } from './timeframe-schema.js';
import { nonNegativeInt, positive, positiveInt } from './internal/config-numbers.js';
import {
  CompletenessConfigSchema,
  DEFAULT_COMPLETENESS,
  ValidityConfigSchema,
  DEFAULT_VALIDITY,
  FreshnessConfigSchema,
  DEFAULT_FRESHNESS,
  ConsistencyConfigSchema,
  DEFAULT_CONSISTENCY,
  QualityWeightsSchema,
  DEFAULT_QUALITY_WEIGHTS,
  EscalationConfigSchema,
  DEFAULT_ESCALATION,
} from './quality-config.js';

import { DEFAULT_ORDER_BOOK, DEFAULT_TRADES, OrderBookConfigSchema, TradesConfigSchema } from './market-depth-config.js';

// The quality sections, so that every section is still imported from this file.
export * from './quality-config.js';
// The trade and order-book sections, likewise.
export * from './market-depth-config.js';

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

/**
 * The whole configuration; build it with `resolveConfig`. A plain object schema, so `.partial()`,
 * `.pick()` and `.omit()` work on it. The cross-section rule (the `trades` and `orderBook` symbols
 * must be among `symbols`) is checked by `resolveConfig`, not here.
 */
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
  /** Trades per symbol (off by default). */
  trades: TradesConfigSchema,
  /** Order-book snapshots per symbol (off by default). */
  orderBook: OrderBookConfigSchema,
});
/** The whole configuration. */
export type PipelineConfig = z.output<typeof PipelineConfigSchema>;

/** The specification's symbols and timeframes. */
const DEFAULT_TIMEFRAMES: Timeframe[] = ['1m', '5m', '15m', '1H', '4H', '1D'];

/**
 * Every default of the original specification in one object.
 * @defaultValue the `DEFAULT_*` constants (trades and order books off), symbols `BTCUSD` and `ETHUSD`, base timeframe `1m`, timeframes `1m 5m 15m 1H 4H 1D`
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
  trades: DEFAULT_TRADES,
  orderBook: DEFAULT_ORDER_BOOK,
};
