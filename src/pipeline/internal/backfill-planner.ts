import { missedBars, type BarRange } from '../../failover/missed-bars.js';
import type { Timeframe } from '../../time/timeframe.js';
import { isSynthetic } from './same-bar.js';
import type { StoreAccess } from './store-access.js';

/** What {@link BackfillPlanner} needs to know. */
export interface BackfillPlannerOptions {
  readonly baseTimeframe: Timeframe;
  /** Width of a base bar, ms. */
  readonly baseMs: number;
  /** At most this many missed base bars are fetched (the specification's backfill limit, 100). */
  readonly maxBackfillBars: number;
  /** Open time of the first bar to fetch for a symbol with nothing stored; default: `maxBackfillBars` back. */
  readonly start: number | undefined;
}

/**
 * Owns where each symbol's next fetch starts: after the last stored base bar, never further back
 * than the backfill limit (the failover module's {@link missedBars} rule), earlier when filled
 * bars still wait for the real ones (`syntheticSince`) or when the feed state machine asked for a
 * backfill that the store does not hold yet.
 */
export class BackfillPlanner {
  readonly #store: StoreAccess;
  readonly #options: BackfillPlannerOptions;
  /** Per symbol: open time of the oldest filled base bar that may still be replaced by a real one. */
  readonly #syntheticSince = new Map<string, number>();
  /** Per symbol: the bars a `backfill` action asked for that may not be stored yet. */
  readonly #backfills = new Map<string, BarRange>();

  constructor(store: StoreAccess, options: BackfillPlannerOptions) {
    this.#store = store;
    this.#options = options;
  }

  /** Open time of the oldest filled base bar of `symbol` still re-requested; `null` when none. */
  syntheticSince(symbol: string): number | null {
    return this.#syntheticSince.get(symbol) ?? null;
  }

  /** A filled base bar opening at `timestamp` was stored: it is re-requested until a real bar replaces it. */
  noteSynthetic(symbol: string, timestamp: number): void {
    const since = this.#syntheticSince.get(symbol);
    if (since === undefined || timestamp < since) this.#syntheticSince.set(symbol, timestamp);
  }

  /** Real bars replaced filled ones: moves `syntheticSince` to the oldest filled bar still stored. */
  async refresh(symbol: string): Promise<void> {
    const since = this.#syntheticSince.get(symbol);
    if (since === undefined) return;
    const bars = await this.#store.range(symbol, this.#options.baseTimeframe, since, Number.POSITIVE_INFINITY);
    const oldest = bars.find(isSynthetic)?.timestamp;
    if (oldest === undefined) this.#syntheticSince.delete(symbol);
    else this.#syntheticSince.set(symbol, oldest);
  }

  /**
   * Carries out the feed state machine's `backfill` action: the next fetch of `symbol` starts
   * at the first bar of `range` the store lacks (or holds only filled), if any.
   */
  backfill(symbol: string, range: BarRange): void {
    const pending = this.#backfills.get(symbol);
    this.#backfills.set(symbol, pending === undefined || range.from < pending.from ? range : pending);
  }

  /** Open time (epoch ms) where the next fetch of `symbol` starts, with `closedEnd` the open time of the bar still forming. */
  async since(symbol: string, closedEnd: number): Promise<number> {
    const { baseTimeframe, baseMs, maxBackfillBars, start } = this.#options;
    const reach = closedEnd - maxBackfillBars * baseMs;
    const last = await this.#store.last(symbol, baseTimeframe);
    if (last === undefined) return start ?? reach;
    // Beyond the backfill limit the missed bars are not fetched: the hole is reported as a gap
    // (and filled by size) when the fetched bars are stored after the last stored one.
    let since =
      missedBars(last.timestamp, closedEnd, baseMs, maxBackfillBars).backfill?.from ?? Math.max(last.timestamp + baseMs, closedEnd);
    const synthetic = this.#syntheticSince.get(symbol);
    if (synthetic !== undefined) {
      if (synthetic < reach) this.#syntheticSince.delete(symbol);
      else since = Math.min(since, synthetic);
    }
    const backfill = await this.#unstored(symbol, reach);
    return backfill === undefined ? since : Math.min(since, backfill);
  }

  /** What a checkpoint keeps of `symbol`. */
  toJSON(symbol: string): number | null {
    return this.syntheticSince(symbol);
  }

  /** Puts a checkpoint's `syntheticSince` of `symbol` back. */
  restore(symbol: string, syntheticSince: number | null): void {
    if (syntheticSince === null) this.#syntheticSince.delete(symbol);
    else this.#syntheticSince.set(symbol, syntheticSince);
  }

  /**
   * The first bar of `symbol`'s pending backfill (within reach) that the store lacks or holds
   * filled. The action is carried out once: the fetch that follows asks from there, and bars the
   * source does not have then are a gap, not a reason to ask again every cycle.
   */
  async #unstored(symbol: string, reach: number): Promise<number | undefined> {
    const range = this.#backfills.get(symbol);
    if (range === undefined) return undefined;
    this.#backfills.delete(symbol);
    const { baseTimeframe, baseMs } = this.#options;
    const from = Math.max(range.from, reach);
    const stored = await this.#store.range(symbol, baseTimeframe, from, range.to + baseMs);
    let expected = from;
    for (const bar of stored) {
      if (bar.timestamp !== expected || isSynthetic(bar)) break;
      expected += baseMs;
    }
    return expected > range.to ? undefined : expected;
  }
}
