/** A run of bars by open time: `from` and `to` inclusive (epoch ms), `bars` of them. */
export interface BarRange {
  /** Open time of the first bar, epoch ms. */
  readonly from: number;
  /** Open time of the last bar (inclusive), epoch ms. */
  readonly to: number;
  /** How many bars: `(to - from) / step + 1`. */
  readonly bars: number;
}

/** What {@link missedBars} decides: the newest missed bars are fetched, older ones are a gap. */
export interface MissedBars {
  /** The bars to fetch (the newest `maxBars` of those missed); `undefined` when none. */
  readonly backfill: BarRange | undefined;
  /** The older bars that will not be fetched: report them as a gap; `undefined` when none. */
  readonly gap: BarRange | undefined;
}

/**
 * The failover protocol's backfill rule ("backfill on restore, at most 100 bars"): of the bars
 * that open strictly after `lastBar` and strictly before `nextBar`, the newest `maxBars` are
 * fetched and the older ones are reported as a gap. The feed state machine applies it when the
 * primary recovers (`backfill` and `gap` actions); the `Pipeline`'s fetch planning applies it to
 * every catch-up fetch, so a feed that paused (a restart, a halt) never asks for more than
 * `maxBars` old bars.
 *
 * @param lastBar - Open time of the last bar held, epoch ms.
 * @param nextBar - Open time of the first bar not missed (the newest bar delivered, or the bar still forming), epoch ms.
 * @param stepMs - The bar interval, ms (positive).
 * @param maxBars - At most this many bars are fetched (0: none, every missed bar is a gap).
 * @example
 * ```ts
 * missedBars(0, 5 * 60_000, 60_000, 2)
 * // { gap: { from: 60000, to: 120000, bars: 2 }, backfill: { from: 180000, to: 240000, bars: 2 } }
 * ```
 */
export function missedBars(lastBar: number, nextBar: number, stepMs: number, maxBars: number): MissedBars {
  const missing = Math.max(0, Math.ceil((nextBar - lastBar) / stepMs) - 1);
  const fetched = Math.min(missing, Math.max(0, maxBars));
  const skipped = missing - fetched;
  return {
    gap: skipped > 0 ? { from: lastBar + stepMs, to: lastBar + skipped * stepMs, bars: skipped } : undefined,
    backfill: fetched > 0 ? { from: lastBar + (skipped + 1) * stepMs, to: lastBar + missing * stepMs, bars: fetched } : undefined,
  };
}
