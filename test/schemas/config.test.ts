import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  BINANCE_WEIGHT_LIMIT,
  CompletenessConfigSchema,
  ConsistencyConfigSchema,
  DEFAULT_COMPLETENESS,
  DEFAULT_CONFIG,
  DEFAULT_CONSISTENCY,
  DEFAULT_DELIVERY,
  DEFAULT_ESCALATION,
  DEFAULT_FEED_FAILURE,
  DEFAULT_FRESHNESS,
  DEFAULT_GAP_STRATEGIES,
  DEFAULT_PREPROCESSING,
  DEFAULT_QUALITY_WEIGHTS,
  DEFAULT_RATE_LIMIT,
  DEFAULT_RETENTION,
  DEFAULT_VALIDITY,
  DeliveryConfigSchema,
  EscalationConfigSchema,
  FeedFailureConfigSchema,
  FreshnessConfigSchema,
  GapStrategiesSchema,
  PipelineConfigSchema,
  PreprocessingConfigSchema,
  QualityWeightsSchema,
  RateLimitConfigSchema,
  RetentionSchema,
  ValidityConfigSchema,
} from '../../src/schemas/index.js';
import { DAY_MS } from '../../src/time/index.js';

describe('DEFAULT_* constants', () => {
  it.each<[string, z.ZodType, unknown]>([
    ['DEFAULT_COMPLETENESS', CompletenessConfigSchema, DEFAULT_COMPLETENESS],
    ['DEFAULT_VALIDITY', ValidityConfigSchema, DEFAULT_VALIDITY],
    ['DEFAULT_FRESHNESS', FreshnessConfigSchema, DEFAULT_FRESHNESS],
    ['DEFAULT_CONSISTENCY', ConsistencyConfigSchema, DEFAULT_CONSISTENCY],
    ['DEFAULT_QUALITY_WEIGHTS', QualityWeightsSchema, DEFAULT_QUALITY_WEIGHTS],
    ['DEFAULT_ESCALATION', EscalationConfigSchema, DEFAULT_ESCALATION],
    ['DEFAULT_GAP_STRATEGIES', GapStrategiesSchema, DEFAULT_GAP_STRATEGIES],
    ['DEFAULT_PREPROCESSING', PreprocessingConfigSchema, DEFAULT_PREPROCESSING],
    ['DEFAULT_RETENTION', RetentionSchema, DEFAULT_RETENTION],
    ['DEFAULT_RATE_LIMIT', RateLimitConfigSchema, DEFAULT_RATE_LIMIT],
    ['BINANCE_WEIGHT_LIMIT', RateLimitConfigSchema, BINANCE_WEIGHT_LIMIT],
    ['DEFAULT_FEED_FAILURE', FeedFailureConfigSchema, DEFAULT_FEED_FAILURE],
    ['DEFAULT_DELIVERY', DeliveryConfigSchema, DEFAULT_DELIVERY],
    ['DEFAULT_CONFIG', PipelineConfigSchema, DEFAULT_CONFIG],
  ])('%s is valid under its own schema', (_name, schema, value) => {
    expect(schema.safeParse(value).error?.issues).toBeUndefined();
  });

  it('hold the numbers of the specification', () => {
    // SPECIFICATION.md, quality_config: max_gap_1m 5, max_gap_5m 2, max_gap_1H 1; "Max 1% missing bars per day";
    // "Critical timeframes (1m, 5m): Zero tolerance for gaps > 3 bars".
    expect(DEFAULT_COMPLETENESS).toMatchObject({
      maxGapBars: { '1m': 5, '5m': 2, '1H': 1 },
      maxMissingShareDaily: 0.01,
      criticalGapBars: 3,
      criticalTimeframes: ['1m', '5m'],
    });
    // validity: price_change_threshold 0.10, volume_spike_threshold 20.0, zero_volume_allowed False; outliers > 5 std.
    expect(DEFAULT_VALIDITY).toMatchObject({
      priceChangeThreshold: 0.1,
      volumeSpikeThreshold: 20,
      zeroVolumeAllowed: false,
      outlierStdDevs: 5,
    });
    // freshness: max_delay_1m 60, max_delay_5m 300, max_delay_1H 3600 (seconds); real-time feeds 1 second.
    expect(DEFAULT_FRESHNESS).toEqual({ maxDelayMs: { '1m': 60_000, '5m': 300_000, '1H': 3_600_000 }, realTimeMaxDelayMs: 1000 });
    // weights: completeness 0.3, validity 0.3, freshness 0.25, consistency 0.15; escalate when quality < 0.8;
    // "Source unavailable for > 5 minutes".
    expect(DEFAULT_QUALITY_WEIGHTS).toEqual({ completeness: 0.3, validity: 0.3, freshness: 0.25, consistency: 0.15 });
    expect(DEFAULT_ESCALATION).toMatchObject({ qualityBelow: 0.8, sourceUnavailableMs: 5 * 60_000 });
    // gap_strategies: small 1–3 bars, medium 4–10 bars, large > 10 bars.
    expect(DEFAULT_GAP_STRATEGIES).toEqual({ smallMaxBars: 3, mediumMaxBars: 10 });
    // preprocessing_config: remove_duplicates, handle_outliers 'clip', outlier_threshold 5.0, returns, log returns, atr_period 14.
    expect(DEFAULT_PREPROCESSING).toMatchObject({
      removeDuplicates: true,
      outliers: 'clip',
      outlierThreshold: 5,
      returns: true,
      logReturns: true,
      atr: true,
      atrPeriod: 14,
    });
    // retention: 1m 90 days, 5m 180, 15m 365, 1H 730, 4H and 1D unlimited.
    expect(DEFAULT_RETENTION).toEqual({
      '1m': 90 * DAY_MS,
      '5m': 180 * DAY_MS,
      '15m': 365 * DAY_MS,
      '1H': 730 * DAY_MS,
      '4H': null,
      '1D': null,
    });
    // 'rate_limit': 1200 requests per minute.
    expect(DEFAULT_RATE_LIMIT).toEqual({ kind: 'sliding_window', requestsPerMinute: 1200 });
    // feed_failure_protocol: timeout 30, error_threshold 3, retry 5 s, failover 10 s, max_backfill_bars 100.
    expect(DEFAULT_FEED_FAILURE).toMatchObject({
      timeoutMs: 30_000,
      errorThreshold: 3,
      retryDelayMs: 5000,
      failoverDelayMs: 10_000,
      backfillOnRestore: true,
      maxBackfillBars: 100,
    });
    // delivery_config: update_interval 1 s, buffer_size 100, formats parquet and json.
    expect(DEFAULT_DELIVERY).toEqual({ updateIntervalMs: 1000, bufferSize: 100, formats: ['parquet', 'json'] });
    expect(DEFAULT_CONFIG.symbols).toEqual(['BTCUSD', 'ETHUSD']);
    expect(DEFAULT_CONFIG.timeframes).toEqual(['1m', '5m', '15m', '1H', '4H', '1D']);
  });
});

describe('QualityWeightsSchema', () => {
  it('refuses negative weights and weights that do not sum to 1', () => {
    expect(QualityWeightsSchema.safeParse({ completeness: -0.1, validity: 0.5, freshness: 0.45, consistency: 0.15 }).success).toBe(false);
    expect(QualityWeightsSchema.safeParse({ completeness: 0.3, validity: 0.3, freshness: 0.3, consistency: 0.3 }).success).toBe(false);
  });
});

describe('GapStrategiesSchema', () => {
  it('refuses a medium bound below the small bound', () => {
    expect(GapStrategiesSchema.safeParse({ smallMaxBars: 5, mediumMaxBars: 4 }).success).toBe(false);
  });
});

describe('PipelineConfigSchema', () => {
  it('is a plain object schema: .partial(), .pick() and .omit() work on it (zod 4 throws on a refined object)', () => {
    expect(PipelineConfigSchema.partial().safeParse({ symbols: ['BTCUSD'] }).success).toBe(true);
    expect(PipelineConfigSchema.pick({ symbols: true }).safeParse({ symbols: ['BTCUSD'] }).success).toBe(true);
    expect(PipelineConfigSchema.omit({ trades: true, orderBook: true }).keyof().options).not.toContain('trades');
  });
});
