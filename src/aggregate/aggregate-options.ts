/** The options of `aggregateOhlcv` and their defaults, shared by the streaming aggregators. */
import type { Timeframe } from '../time/timeframe.js';

/** What to do with a bucket the input does not fully cover. */
export type PartialBucketPolicy = 'keep' | 'drop';

/** Options of `aggregateOhlcv`; every field is optional, see {@link DEFAULT_AGGREGATION}. */
export interface AggregateOptions {
  /**
   * Timeframe of the input bars. Omitted: inferred as the largest timeframe whose grid holds
   * every bar (from the greatest common divisor of the steps between bars); an input that
   * fits none is reported (`source_timeframe_unknown`) and yields no bars. Given: bars off its
   * grid are skipped and reported, and a target it does not divide throws a `ConfigError`.
   */
  readonly source?: Timeframe;
  /**
   * Build buckets the way exchanges do: a bar with zero volume or a synthetic bar
   * (`interpolated`, `forward_filled`) does not set a bucket's open, high or low when the
   * bucket has at least one traded bar; its close still counts in order. `false`: plain
   * first / max / min / last.
   * @defaultValue true
   */
  readonly exchangeExact?: boolean;
  /**
   * The first bucket when the input starts after the bucket's start.
   * @defaultValue 'keep' (marked in `partial.first`)
   */
  readonly partialStart?: PartialBucketPolicy;
  /**
   * The last bucket when the input ends before the bucket's end (a candle still in progress).
   * @defaultValue 'drop' (reported as `partial_bucket_dropped`)
   */
  readonly partialEnd?: PartialBucketPolicy;
  /**
   * Report on each output bar how many source bars built it (`count`; with an input that
   * already has counts, their sum, so 1m → 5m → 15m counts 1m bars).
   * @defaultValue true
   */
  readonly count?: boolean;
  /**
   * Report on each output bar its provenance: `synthetic`, how many of its source bars were
   * `interpolated` or `forward_filled`, and `missing`, how many source bars of its bucket are
   * absent (the bucket's width in source bars minus `count`: a hole, or the part of a partial
   * bucket the input does not cover). Both are in the units of `count` (with an input that
   * already has counts and provenance, their sums: 1m → 5m → 1H counts 1m bars), and a 0 is
   * left out of a row. In columns, `missing` is `NaN` when the source width is unknown (a
   * single bar without `source`). Turns on the counting `count` needs, whatever `count` says.
   * @defaultValue false
   */
  readonly provenance?: boolean;
}

/** Defaults of {@link AggregateOptions} (everything except `source`). */
export interface AggregateDefaults {
  /** See {@link AggregateOptions.exchangeExact}. */
  readonly exchangeExact: boolean;
  /** See {@link AggregateOptions.partialStart}. */
  readonly partialStart: PartialBucketPolicy;
  /** See {@link AggregateOptions.partialEnd}. */
  readonly partialEnd: PartialBucketPolicy;
  /** See {@link AggregateOptions.count}. */
  readonly count: boolean;
  /** See {@link AggregateOptions.provenance}. */
  readonly provenance: boolean;
}

/**
 * Exchange-exact buckets, the leading partial bucket kept, the trailing one (a candle still in
 * progress) dropped, counts reported, provenance not.
 *
 * @defaultValue `{ exchangeExact: true, partialStart: 'keep', partialEnd: 'drop', count: true, provenance: false }`
 */
export const DEFAULT_AGGREGATION: AggregateDefaults = {
  exchangeExact: true,
  partialStart: 'keep',
  partialEnd: 'drop',
  count: true,
  provenance: false,
};
