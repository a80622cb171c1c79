import type { FixedTimeframe } from '../time/timeframe.js';

/**
 * The market rules a generated anomaly breaks, named as `validateOhlcv` names them.
 *
 * - `high_gte_low`: high and low are crossed (this necessarily also breaks the two
 *   open/close rules, listed in the anomaly's `breaks`);
 * - `high_gte_open_close`: the open is set above the high;
 * - `low_lte_open_close`: the open is set below the low;
 * - `volume_non_negative`: the volume is negative;
 * - `finite_values`: the high is `Infinity`.
 */
export const ANOMALY_RULES = ['high_gte_low', 'high_gte_open_close', 'low_lte_open_close', 'volume_non_negative', 'finite_values'] as const;

/** One of {@link ANOMALY_RULES}. */
export type AnomalyRule = (typeof ANOMALY_RULES)[number];

/** Options of `generateOhlcv` and `generateOhlcvColumns`; every field has a default. */
export interface GenerateOhlcvOptions {
  /**
   * Seed of the pseudo-random generator; the same options always give the same bars.
   * @defaultValue 1
   */
  readonly seed?: number;
  /**
   * Open time of the first slot, integer epoch ms; should be aligned to `timeframe`.
   * @defaultValue 1735689600000 (2025-01-01T00:00:00Z)
   */
  readonly start?: number;
  /**
   * Number of timeframe slots from `start`. Every slot holds one bar except the slots inside
   * gaps, so a series without gaps and duplicates has exactly `count` bars.
   * @defaultValue 1440
   */
  readonly count?: number;
  /**
   * Bar width.
   * @defaultValue '1m'
   */
  readonly timeframe?: FixedTimeframe;
  /**
   * Open of the first bar, in the quote currency; must be positive.
   * @defaultValue 100
   */
  readonly startPrice?: number;
  /**
   * Standard deviation of each slot's log return (a fraction: 0.001 is about 0.1 % a bar).
   * Prices follow a geometric random walk, which also moves through gaps.
   * @defaultValue 0.001
   */
  readonly volatility?: number;
  /**
   * Median volume per bar, in the base asset (volumes are log-normal around it); must be
   * positive.
   * @defaultValue 10
   */
  readonly baseVolume?: number;
  /**
   * Probability (0–1) that a gap starts at a slot. The first and last slots are never in a
   * gap and every gap is followed by a bar, so each gap lies between two bars and a
   * detector sees exactly the reported runs.
   * @defaultValue 0
   */
  readonly gapRate?: number;
  /**
   * Longest gap, in missing bars; each gap's length is uniform in `1..maxGapBars`.
   * @defaultValue 5
   */
  readonly maxGapBars?: number;
  /**
   * Probability (0–1) that a bar is followed by an exact copy of itself (same timestamp,
   * same values). Bars with an anomaly are never duplicated.
   * @defaultValue 0
   */
  readonly duplicateRate?: number;
  /**
   * Probability (0–1) that a bar breaks one market rule, picked uniformly from
   * `anomalyRules`.
   * @defaultValue 0
   */
  readonly anomalyRate?: number;
  /**
   * Which rules anomalies break.
   * @defaultValue every rule of {@link ANOMALY_RULES}
   */
  readonly anomalyRules?: readonly AnomalyRule[];
}

/** The defaults of {@link GenerateOhlcvOptions}. */
export const DEFAULT_GENERATE_OHLCV = {
  seed: 1,
  start: 1_735_689_600_000,
  count: 1440,
  timeframe: '1m',
  startPrice: 100,
  volatility: 0.001,
  baseVolume: 10,
  gapRate: 0,
  maxGapBars: 5,
  duplicateRate: 0,
  anomalyRate: 0,
  anomalyRules: ANOMALY_RULES,
} as const satisfies Required<GenerateOhlcvOptions>;

/** A run of missing bars the generator left out. */
export interface GeneratedGap {
  /** Open time of the first missing bar, epoch ms. */
  readonly start: number;
  /** Open time of the bar after the gap (exclusive end), epoch ms. */
  readonly end: number;
  /** Number of missing bars: `(end - start) / timeframe width`. */
  readonly missing: number;
  /** Index (in the generated rows) of the bar right after the gap. */
  readonly index: number;
}

/** A row that repeats the row before it. */
export interface GeneratedDuplicate {
  /** Index of the repeated row. */
  readonly index: number;
  /** Index of the original row (always `index - 1`). */
  readonly of: number;
  /** Their shared open time, epoch ms. */
  readonly timestamp: number;
}

/** A bar made to break a market rule. */
export interface GeneratedAnomaly {
  /** Index of the bar in the generated rows. */
  readonly index: number;
  /** Its open time, epoch ms. */
  readonly timestamp: number;
  /** The rule the anomaly was made for. */
  readonly rule: AnomalyRule;
  /** Every rule the bar breaks (`rule` first). */
  readonly breaks: readonly AnomalyRule[];
}

/** What the generator did, so tests know the truth. */
export interface GeneratedTruth {
  /** Gaps in time order. */
  readonly gaps: readonly GeneratedGap[];
  /** Duplicate rows in order. */
  readonly duplicates: readonly GeneratedDuplicate[];
  /** Anomalous bars in order. */
  readonly anomalies: readonly GeneratedAnomaly[];
}
