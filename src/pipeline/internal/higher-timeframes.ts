import { aggregateOhlcv } from '../../aggregate/aggregate-ohlcv.js';
import type { Ohlcv } from '../../schemas/ohlcv.js';
import { bucketEnd } from '../../time/bucket-end.js';
import { bucketStart } from '../../time/bucket-start.js';
import { gridOf } from '../../time/timeframe-grid.js';
import type { Timeframe } from '../../time/timeframe.js';
import type { RevisedBar } from '../sink.js';
import { SeriesAggregators } from './series-aggregators.js';
import { sameBar } from './same-bar.js';
import type { StoreAccess } from './store-access.js';
import { withRevision } from './with-revision.js';

/** Told of `missingBars` buckets of `tf` from `start` (epoch ms, inclusive) that hold no bar. */
export type HigherGapListener = (symbol: string, tf: Timeframe, start: number, missingBars: number) => void;

/** Higher-timeframe bars completed or changed, per timeframe, oldest first. */
export type HigherBars = Map<Timeframe, RevisedBar[]>;

/**
 * Owns the higher timeframes: one set of streaming aggregators per symbol (the aggregate
 * module's `OhlcvAggregator`, exchange-exact, with provenance: a bar built from a bucket with
 * holes or filled base bars carries `missing` / `synthetic`), fed the stored base bars in time order, and the
 * revisions of the bars they complete. A base bar replaced inside a closed bucket re-aggregates
 * that bucket with `aggregateOhlcv`; a higher bar is stored only when it differs from the stored
 * one, with the next revision.
 */
export class HigherTimeframes {
  readonly #store: StoreAccess;
  readonly #base: Timeframe;
  readonly #baseMs: number;
  readonly #targets: readonly Timeframe[];
  readonly #aggregators = new Map<string, SeriesAggregators>();
  readonly #onGap: HigherGapListener;

  /**
   * @param onGap - Told of each run of buckets a timeframe's new bar skips (no base bar fell in them).
   * @throws {@link ConfigError} when `base` does not divide a target.
   */
  constructor(store: StoreAccess, base: Timeframe, baseMs: number, targets: readonly Timeframe[], onGap: HigherGapListener) {
    this.#store = store;
    this.#onGap = onGap;
    this.#base = base;
    this.#baseMs = baseMs;
    this.#targets = targets;
    // Fails early when the base does not divide a target.
    new SeriesAggregators(base, targets);
  }

  /** The timeframes aggregated from the base. */
  get targets(): readonly Timeframe[] {
    return this.#targets;
  }

  /** Whether `symbol`'s aggregators were primed. */
  isPrimed(symbol: string): boolean {
    return this.#aggregators.has(symbol);
  }

  /** The bar `tf` is forming for `symbol`, if any. */
  forming(symbol: string, tf: Timeframe): Ohlcv | undefined {
    return this.#aggregators.get(symbol)?.current(tf);
  }

  /**
   * Primes `symbol`'s aggregators with the stored base bars of each forming bucket, from the
   * bucket of `from` (the oldest base bar within backfill reach) to `last` (the newest stored
   * base bar). A persistent store outlives the process that wrote it, which may have died between
   * two store calls: every aggregate the stored base bars complete is recomputed and, when missing
   * or different, stored and handed to `onBar`.
   */
  async prime(
    symbol: string,
    from: number | undefined,
    last: number | undefined,
    onBar: (tf: Timeframe, bar: RevisedBar) => void,
  ): Promise<void> {
    const aggregators = new SeriesAggregators(this.#base, this.#targets);
    if (last !== undefined) {
      for (const tf of this.#targets) {
        const start = Math.min(bucketStart(last, tf), bucketStart(from ?? last, tf));
        for (const bar of await this.#store.range(symbol, this.#base, start, last + this.#baseMs)) {
          for (const [, closed] of aggregators.add(bar, tf)) {
            const revised = await this.#revise(symbol, tf, closed);
            if (revised !== undefined) onBar(tf, revised);
          }
        }
      }
    }
    this.#aggregators.set(symbol, aggregators);
  }

  /**
   * Higher-timeframe bars completed or changed by stored base bars: `older` replaced bars at or
   * before `lastTs` (the newest base bar stored before them), `fresh` new bars after it.
   */
  async aggregate(symbol: string, older: readonly RevisedBar[], fresh: readonly RevisedBar[], lastTs: number): Promise<HigherBars> {
    const out: HigherBars = new Map();
    const aggregators = this.#aggregators.get(symbol);
    if (aggregators === undefined || this.#targets.length === 0) return out;
    const push = (tf: Timeframe, bar: RevisedBar | undefined): void => {
      if (bar === undefined) return;
      const list = out.get(tf);
      if (list === undefined) out.set(tf, [bar]);
      else list.push(bar);
    };
    if (older.length > 0) await this.#reaggregate(symbol, aggregators, older, fresh[0]?.timestamp ?? lastTs + this.#baseMs, push);
    for (const bar of fresh) {
      for (const [tf, closed] of aggregators.add(bar)) push(tf, await this.#revise(symbol, tf, closed));
    }
    return out;
  }

  /**
   * Replaced base bars: a forming bucket is rebuilt from the store (up to `end`, exclusive);
   * closed buckets are aggregated again in one `aggregateOhlcv` call.
   */
  async #reaggregate(
    symbol: string,
    aggregators: SeriesAggregators,
    older: readonly RevisedBar[],
    end: number,
    push: (tf: Timeframe, bar: RevisedBar | undefined) => void,
  ): Promise<void> {
    const closedBuckets = new Map<Timeframe, Set<number>>();
    let from = Number.POSITIVE_INFINITY;
    let to = Number.NEGATIVE_INFINITY;
    for (const tf of this.#targets) {
      const forming = aggregators.formingStart(tf);
      const buckets = new Set<number>();
      let rebuildFrom: number | undefined;
      for (const bar of older) {
        const start = bucketStart(bar.timestamp, tf);
        if (forming !== undefined && start >= forming) rebuildFrom = Math.min(rebuildFrom ?? start, start);
        else buckets.add(start);
      }
      if (rebuildFrom !== undefined) {
        aggregators.reset(tf);
        for (const bar of await this.#store.range(symbol, this.#base, rebuildFrom, end)) {
          for (const [, closed] of aggregators.add(bar, tf)) push(tf, await this.#revise(symbol, tf, closed));
        }
      }
      closedBuckets.set(tf, buckets);
      for (const start of buckets) {
        from = Math.min(from, start);
        to = Math.max(to, bucketEnd(start, tf));
      }
    }
    if (from >= to) return;
    const rows = await this.#store.range(symbol, this.#base, from, to);
    const targets = this.#targets.filter((tf) => (closedBuckets.get(tf)?.size ?? 0) > 0);
    const results = aggregateOhlcv(rows, targets, { source: this.#base, partialStart: 'keep', partialEnd: 'keep', provenance: true });
    for (const tf of targets) {
      const wanted = closedBuckets.get(tf) as Set<number>;
      for (const bar of results[tf]?.bars ?? []) if (wanted.has(bar.timestamp)) push(tf, await this.#revise(symbol, tf, bar));
    }
  }

  /** Stores a higher-timeframe bar with the next revision; `undefined` when the stored bar is the same. */
  async #revise(symbol: string, tf: Timeframe, bar: Ohlcv): Promise<RevisedBar | undefined> {
    // Aggregates mostly close in order: the newest stored bar answers without a range query.
    const last = await this.#store.last(symbol, tf);
    const stored =
      last === undefined || bar.timestamp > last.timestamp
        ? undefined
        : last.timestamp === bar.timestamp
          ? last
          : (await this.#store.range(symbol, tf, bar.timestamp, bar.timestamp + 1))[0];
    if (
      stored !== undefined &&
      sameBar(stored, bar) &&
      stored.count === bar.count &&
      stored.synthetic === bar.synthetic &&
      stored.missing === bar.missing
    )
      return undefined;
    if (last !== undefined && stored === undefined && bar.timestamp > last.timestamp) {
      // The buckets between the newest stored bar and this one got no base bar: a gap in `tf`.
      const grid = gridOf(tf);
      const missing = grid.between(last.timestamp, bar.timestamp);
      if (missing > 0) this.#onGap(symbol, tf, grid.next(last.timestamp), missing);
    }
    const revised = withRevision(bar, stored === undefined ? 0 : stored.revision + 1);
    await this.#store.upsert(symbol, tf, [revised]);
    return revised;
  }
}
