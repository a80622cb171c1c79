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
  /** Open time of the first bar to fetch for a symbol with nothing stored; default: the warm-up. */
  readonly start: number | undefined;
  /**
   * A first run (nothing stored, no `start`) fetches from `historyFrom(now)` (what the documents
   * read), at most `warmUpBars` base bars back.
   */
  readonly warmUp: { readonly bars: number; readonly historyFrom: (now: number) => number };
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
  /**
   * Per symbol: the ranges `backfill` actions asked for that are not done yet, each with the
   * first bar the store lacked when the next fetch was planned (`undefined` before that).
   */
  readonly #backfills = new Map<string, { readonly range: BarRange; unstored: number | undefined }[]>();

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
   * Carries out the feed state machine's `backfill` action: the fetches of `symbol` start at the
   * first bar of `range` the store lacks (or holds only filled) until a fetch from there is
   * answered, the store holds the range, or it falls out of reach.
   */
  backfill(symbol: string, range: BarRange): void {
    const pending = this.#backfills.get(symbol);
    if (pending === undefined) this.#backfills.set(symbol, [{ range, unstored: undefined }]);
    else pending.push({ range, unstored: undefined });
  }

  /** Whether `symbol` needs no fetch beyond the next bar: no filled bar waits for a real one and no backfill is pending. */
  isCaughtUp(symbol: string): boolean {
    return !this.#syntheticSince.has(symbol) && !this.#backfills.has(symbol);
  }

  /**
   * Where a first run starts (epoch ms), with `closedEnd` the open time of the bar still forming:
   * at the history the documents read, at most `warmUp.bars` back (and at least the backfill
   * limit back).
   */
  warmUpFrom(closedEnd: number): number {
    const { baseMs, warmUp } = this.#options;
    return Math.min(this.reach(closedEnd), Math.max(warmUp.historyFrom(closedEnd), closedEnd - warmUp.bars * baseMs));
  }

  /** The oldest open time a fetch may start at (epoch ms), with `closedEnd` the open time of the bar still forming. */
  reach(closedEnd: number): number {
    return closedEnd - this.#options.maxBackfillBars * this.#options.baseMs;
  }

  /**
   * A fetch of `symbol` from `since` (epoch ms) was answered: the pending backfills whose first
   * missing bar it asked for are done — bars the source does not have then are a gap, not a
   * reason to ask again every cycle.
   */
  answered(symbol: string, since: number): void {
    const pending = this.#backfills.get(symbol);
    if (pending === undefined) return;
    const left = pending.filter((p) => p.unstored === undefined || p.unstored < since);
    if (left.length === 0) this.#backfills.delete(symbol);
    else this.#backfills.set(symbol, left);
  }

  /** Open time (epoch ms) where the next fetch of `symbol` starts, with `closedEnd` the open time of the bar still forming. */
  async since(symbol: string, closedEnd: number): Promise<number> {
    return (await this.plan(symbol, closedEnd)).since;
  }

  /**
   * The next fetch of `symbol`: where it starts ({@link BackfillPlanner.since}), and for a first
   * run that the warm-up bound keeps from reaching what the documents read (nothing stored, no
   * `start`), the first slot they need (`expectFrom`): completeness counts the slots in between
   * as missing.
   */
  async plan(symbol: string, closedEnd: number): Promise<{ readonly since: number; readonly expectFrom?: number }> {
    const { baseTimeframe, baseMs, maxBackfillBars, start, warmUp } = this.#options;
    const reach = this.reach(closedEnd);
    const last = await this.#store.last(symbol, baseTimeframe);
    if (last === undefined) {
      if (start !== undefined) return { since: start };
      const from = this.warmUpFrom(closedEnd);
      const needed = warmUp.historyFrom(closedEnd);
      return needed < from ? { since: from, expectFrom: needed } : { since: from };
    }
    // The newest closed bar comes with the answer, as it does for the feed state machine (its
    // `newestBar`); of the bars missed before it, the newest `maxBackfillBars` are fetched with it
    // and the older ones are the gap reported (and filled by size) when the fetched bars are
    // stored — the same split as the machine's `backfill` and `gap` actions.
    const newest = closedEnd - baseMs;
    let since = missedBars(last.timestamp, newest, baseMs, maxBackfillBars).backfill?.from ?? Math.max(last.timestamp + baseMs, newest);
    const synthetic = this.#syntheticSince.get(symbol);
    if (synthetic !== undefined) {
      if (synthetic < reach) this.#syntheticSince.delete(symbol);
      else since = Math.min(since, synthetic);
    }
    const backfill = await this.#unstored(symbol, reach);
    return { since: backfill === undefined ? since : Math.min(since, backfill) };
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
   * The first bar within reach that a pending backfill of `symbol` lacks in the store (or holds
   * only filled); ranges the store holds, or that fell out of reach, are done.
   */
  async #unstored(symbol: string, reach: number): Promise<number | undefined> {
    const pending = this.#backfills.get(symbol);
    if (pending === undefined) return undefined;
    const { baseTimeframe, baseMs } = this.#options;
    let first: number | undefined;
    const left: typeof pending = [];
    for (const p of pending) {
      const from = Math.max(p.range.from, reach);
      let expected = from;
      for (const bar of await this.#store.range(symbol, baseTimeframe, from, p.range.to + baseMs)) {
        if (bar.timestamp !== expected || isSynthetic(bar)) break;
        expected += baseMs;
      }
      if (expected > p.range.to) continue;
      p.unstored = expected;
      left.push(p);
      first = first === undefined ? expected : Math.min(first, expected);
    }
    if (left.length === 0) this.#backfills.delete(symbol);
    else this.#backfills.set(symbol, left);
    return first;
  }
}
