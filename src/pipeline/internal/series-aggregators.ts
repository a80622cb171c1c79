import { OhlcvAggregator } from '../../aggregate/ohlcv-aggregator.js';
import type { Ohlcv } from '../../schemas/ohlcv.js';
import type { Timeframe } from '../../time/timeframe.js';

/**
 * The streaming aggregators of one symbol: one per higher timeframe, fed the base bars in
 * time order, with provenance (each bar says how many of its base bars were synthetic or
 * missing). Not exported from the package.
 */
export class SeriesAggregators {
  readonly #base: Timeframe;
  readonly #targets: readonly Timeframe[];
  readonly #aggregators = new Map<Timeframe, OhlcvAggregator>();

  constructor(base: Timeframe, targets: readonly Timeframe[]) {
    this.#base = base;
    this.#targets = targets;
    for (const tf of targets) this.reset(tf);
  }

  /** Starts `tf` afresh (its forming bucket is forgotten). */
  reset(tf: Timeframe): void {
    // A bucket whose first bars the pipeline never saw is not the exchange's bar: drop it. A
    // bucket with holes is delivered once a later base bar shows its time has passed, its
    // provenance (`missing`, `synthetic`) saying which of its base bars it lacks or made up.
    this.#aggregators.set(tf, new OhlcvAggregator({ source: this.#base, target: tf, partialStart: 'drop', count: true, provenance: true }));
  }

  /** Adds a base bar to every (or one) aggregator; returns the higher bars it completed. */
  add(bar: Ohlcv, only?: Timeframe): [Timeframe, Ohlcv][] {
    const out: [Timeframe, Ohlcv][] = [];
    for (const tf of only === undefined ? this.#targets : [only]) {
      const aggregator = this.#aggregators.get(tf);
      if (aggregator === undefined) continue;
      for (const closed of aggregator.add(bar)) out.push([tf, closed]);
      aggregator.takeIssues();
    }
    return out;
  }

  /** Open time of the bucket `tf` is forming, if any. */
  formingStart(tf: Timeframe): number | undefined {
    return this.#aggregators.get(tf)?.current()?.timestamp;
  }

  /** The bar `tf` is forming, if any. */
  current(tf: Timeframe): Ohlcv | undefined {
    return this.#aggregators.get(tf)?.current();
  }
}
