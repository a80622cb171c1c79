import { requireTimeframe } from '../internal/options.js';
import { ConfigError } from '../errors/config-error.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import { bucketEnd } from '../time/bucket-end.js';
import { bucketStart } from '../time/bucket-start.js';
import { FIXED_WIDTH_MS, type Timeframe } from '../time/timeframe.js';
import { BucketState } from './internal/bucket-state.js';
import { aggregateIssue } from './internal/aggregate-issue-of.js';
import { isoTime } from '../internal/iso-utc.js';
import { assertAggregatable } from './internal/timeframe-pairs.js';
import { DEFAULT_AGGREGATION, type PartialBucketPolicy } from './aggregate-options.js';
import type { AggregateIssue } from './aggregate-issue.js';

/** Options of {@link OhlcvAggregator}. */
export interface OhlcvAggregatorOptions {
  /** Timeframe of the bars given to `add`. */
  readonly source: Timeframe;
  /** Timeframe of the bars it emits; `source` must divide it. */
  readonly target: Timeframe;
  /**
   * As in `aggregateOhlcv`: zero-volume and synthetic bars do not set open, high or low of a
   * bucket that has a traded bar.
   * @defaultValue true
   */
  readonly exchangeExact?: boolean;
  /**
   * The first bucket when the first bar starts after the bucket's start: `'drop'` leaves it
   * out (reported as `partial_bucket_dropped`).
   * @defaultValue 'keep'
   */
  readonly partialStart?: PartialBucketPolicy;
  /**
   * Put `count` (source bars per bucket) on each emitted bar.
   * @defaultValue true
   */
  readonly count?: boolean;
  /**
   * Put provenance on each bar (emitted and `current()`), as `aggregateOhlcv` does: `synthetic`,
   * the source bars that were `interpolated` or `forward_filled`, and `missing`, the source bars
   * of the bucket that never came (for `current()`, those not yet come), each left out when 0.
   * @defaultValue false
   */
  readonly provenance?: boolean;
}

/**
 * Streaming OHLCV aggregation, bar by bar. A bucket is emitted as soon as it is complete: when a
 * bar reaches its end (the `:14` 1m bar completes a 15m bucket), when a bar of a later bucket
 * arrives, or when `close(now)` is called at or after its end. Fed the same bars, the bars it
 * emits equal `aggregateOhlcv(bars, target, { source })` (whose trailing partial bucket is
 * dropped), and `current()` is that partial bucket: a shared contract test checks every prefix.
 *
 * Duplicate, out-of-order, off-grid and late bars (for a bucket already closed by `close`)
 * are skipped and reported; collect the reports with `takeIssues()`. Holds no timer: time
 * only moves through `close(now)`. Never mutates the bars it is given.
 *
 * @example
 * ```ts
 * const agg = new OhlcvAggregator({ source: '1m', target: '5m' });
 * const bar = (i: number) => ({ timestamp: Date.UTC(2024, 0, 1, 0, i), open: 1, high: 2, low: 1, close: 2, volume: 1 });
 * agg.add(bar(0));            // []
 * agg.current()?.count;       // 1
 * agg.add(bar(4));            // [{ timestamp: Date.UTC(2024, 0, 1), open: 1, high: 2, low: 1, close: 2, volume: 2, count: 2 }]
 * agg.add(bar(6));            // []
 * agg.close(Date.UTC(2024, 0, 1, 0, 10)); // [{ timestamp: Date.UTC(2024, 0, 1, 0, 5), …, count: 1 }]
 * ```
 */
export class OhlcvAggregator {
  /** Timeframe of the input bars. */
  readonly source: Timeframe;
  /** Timeframe of the emitted bars. */
  readonly target: Timeframe;
  private readonly exchangeExact: boolean;
  private readonly dropPartialStart: boolean;
  private readonly withCount: boolean;
  private readonly withProvenance: boolean;
  private readonly state = new BucketState();
  private issues: AggregateIssue[] = [];
  private seen = 0;
  private lastTs = Number.NEGATIVE_INFINITY;
  private closedUntil = Number.NEGATIVE_INFINITY;
  private firstBucket = true;
  private firstBucketPartial = false;

  /**
   * @param options - See {@link OhlcvAggregatorOptions}.
   * @throws ConfigError for an unknown timeframe, a target `source` does not divide, or an invalid option.
   */
  constructor(options: OhlcvAggregatorOptions) {
    this.source = requireTimeframe(options.source, ['source']);
    this.target = requireTimeframe(options.target, ['target']);
    assertAggregatable(this.source, this.target, ['target']);
    const exact = options.exchangeExact ?? DEFAULT_AGGREGATION.exchangeExact;
    const count = options.count ?? DEFAULT_AGGREGATION.count;
    const partialStart = options.partialStart ?? DEFAULT_AGGREGATION.partialStart;
    const provenance = options.provenance ?? DEFAULT_AGGREGATION.provenance;
    if (typeof exact !== 'boolean')
      throw new ConfigError(`Expected \`exchangeExact\` to be a boolean, got \`${String(exact)}\``, {
        path: ['exchangeExact'],
        value: exact,
      });
    if (typeof count !== 'boolean')
      throw new ConfigError(`Expected \`count\` to be a boolean, got \`${String(count)}\``, { path: ['count'], value: count });
    if (typeof provenance !== 'boolean') {
      throw new ConfigError(`Expected \`provenance\` to be a boolean, got \`${String(provenance)}\``, {
        path: ['provenance'],
        value: provenance,
      });
    }
    if (partialStart !== 'keep' && partialStart !== 'drop') {
      throw new ConfigError(`Expected \`partialStart\` to be 'keep' or 'drop', got \`${String(partialStart)}\``, {
        path: ['partialStart'],
        value: partialStart,
      });
    }
    this.exchangeExact = exact;
    this.withCount = count;
    this.withProvenance = provenance;
    this.dropPartialStart = partialStart === 'drop';
  }

  /**
   * Adds the next source bar.
   *
   * @param bar - A bar of the source timeframe, newer than every bar added before.
   * @returns The bars this bar completed (usually none, at most two: the previous bucket and,
   *   when `bar` ends its own bucket, that one).
   */
  add(bar: Ohlcv): Ohlcv[] {
    const index = this.seen++;
    const t = bar.timestamp;
    if (!Number.isFinite(t))
      return this.skip('unsorted_timestamp', index, t, `Bar ${index} has no finite timestamp (\`${t}\`); it is skipped`);
    if (t === this.lastTs) {
      return this.skip(
        'duplicate_timestamp',
        index,
        t,
        `Bar ${index} repeats the timestamp ${isoTime(t)}; the first bar is kept and this one is skipped`,
      );
    }
    if (t < this.lastTs) {
      return this.skip(
        'unsorted_timestamp',
        index,
        t,
        `Bar ${index} (${isoTime(t)}) is older than the bar before it (${isoTime(this.lastTs)}); it is skipped`,
      );
    }
    if (bucketStart(t, this.source) !== t) {
      return this.skip(
        'misaligned_timestamp',
        index,
        t,
        `Bar ${index} (${isoTime(t)}) does not open on the ${this.source} grid; it is skipped`,
      );
    }
    if (t < this.closedUntil) {
      return this.skip(
        'late_bar',
        index,
        t,
        `Bar ${index} (${isoTime(t)}) belongs to a ${this.target} bucket already closed (until ${isoTime(this.closedUntil)}); it is skipped`,
      );
    }
    this.lastTs = t;
    const out: Ohlcv[] = [];
    const state = this.state;
    if (state.active && t >= state.end) this.emit(out);
    if (!state.active) {
      const start = bucketStart(t, this.target);
      state.begin(start, this.target === '1M' ? bucketEnd(start, '1M') : start + FIXED_WIDTH_MS[this.target], bar);
      if (this.firstBucket) this.firstBucketPartial = start < t;
    }
    state.add(bar, this.exchangeExact);
    const barEnd = this.source === '1M' ? bucketEnd(t, '1M') : t + FIXED_WIDTH_MS[this.source];
    if (barEnd >= state.end) this.emit(out);
    return out;
  }

  /**
   * The bucket still forming (a partial bar), or `undefined` when none is.
   *
   * @returns A new object on every call.
   */
  current(): Ohlcv | undefined {
    return this.state.active ? this.toBar() : undefined;
  }

  /**
   * Closes the forming bucket if it has ended by `now` (no more bars can belong to it).
   *
   * @param now - Epoch milliseconds.
   * @returns The closed bar, or nothing.
   */
  close(now: number): Ohlcv[] {
    const out: Ohlcv[] = [];
    if (this.state.active && this.state.end <= now) this.emit(out);
    return out;
  }

  /**
   * The issues reported since the last call (skipped bars, dropped partial buckets), oldest first.
   *
   * @returns The issues; the aggregator forgets them.
   */
  takeIssues(): AggregateIssue[] {
    const taken = this.issues;
    this.issues = [];
    return taken;
  }

  /** The forming bucket as a bar, with provenance when asked for. */
  private toBar(): Ohlcv {
    const state = this.state;
    if (!this.withProvenance) return state.toBar(this.withCount);
    const slots = this.source === '1M' ? 1 : (state.end - state.start) / FIXED_WIDTH_MS[this.source];
    return state.toBar(this.withCount, slots);
  }

  private skip(code: AggregateIssue['code'], index: number, t: number, message: string): Ohlcv[] {
    this.issues.push(aggregateIssue(code, index, t, message));
    return [];
  }

  private emit(out: Ohlcv[]): void {
    const state = this.state;
    const dropped = this.firstBucket && this.firstBucketPartial && this.dropPartialStart;
    if (dropped) {
      this.issues.push(
        aggregateIssue(
          'partial_bucket_dropped',
          -1,
          state.start,
          `The ${this.target} bucket at ${isoTime(state.start)} starts before the first bar; it is dropped`,
        ),
      );
    } else {
      out.push(this.toBar());
    }
    this.firstBucket = false;
    this.closedUntil = state.end;
    state.reset();
  }
}
