import { isSyntheticFlag, resolveAtrOptions } from './internal/atr-options.js';
import { AtrSeed, type AtrCalculatorOptions } from './atr-options.js';
import type { HighLowCloseRow } from './indicator-input.js';

/**
 * Streaming ATR: the same numbers as {@link atr}, one bar at a time. After any sequence of
 * `add`, `replace` and `restart` calls, `value` equals the last entry of `atr` on the bars
 * added so far (each `replace` overwriting the last one), with `breaks` at the bars added right
 * after a `restart()` — bit for bit (a shared contract test proves it).
 *
 * Synthetic bars (`interpolated`, `forward_filled`) and bars with a non-finite high, low or
 * close add no true range and leave the value unchanged, as in `atr`. O(1) time and memory per
 * call; bars are read, never kept or modified.
 *
 * @example
 * ```ts
 * const calc = new AtrCalculator({ period: 2 });
 * calc.add({ high: 10, low: 8, close: 9 });   // NaN (warming up)
 * calc.add({ high: 11, low: 9, close: 10 });  // 2
 * calc.add({ high: 12, low: 10, close: 11 }); // 2   (still-forming bar, TR 2)
 * calc.replace({ high: 14, low: 10, close: 13 }); // 3   (the bar closed higher: TR 4)
 * calc.isStable; // true
 * ```
 */
export class AtrCalculator {
  /** Smoothing period in bars. */
  readonly period: number;
  /** Warm-up convention. */
  readonly seed: AtrSeed;

  readonly #talib: boolean;
  #pendingRestart = false;
  #hasBar = false;
  // State after the last bar.
  #prevClose = NaN;
  #count = 0;
  #sum = 0;
  #value = NaN;
  // State before the last bar (what `replace` goes back to).
  #beforeClose = NaN;
  #beforeCount = 0;
  #beforeSum = 0;
  #beforeValue = NaN;

  /**
   * @param options - `period` (positive integer) and `seed`; defaults in
   *   {@link DEFAULT_ATR_OPTIONS}.
   * @throws ConfigError when `period` is not a positive integer or `seed` is unknown.
   */
  constructor(options?: AtrCalculatorOptions) {
    const resolved = resolveAtrOptions(options);
    this.period = resolved.period;
    this.#talib = resolved.talib;
    this.seed = resolved.talib ? AtrSeed.Talib : AtrSeed.FirstRange;
  }

  /**
   * The current ATR in the quote currency; `NaN` while warming up (fewer than `period` true
   * ranges since the start or the last restart).
   */
  get value(): number {
    return this.#value;
  }

  /** Whether the warm-up is over, i.e. `value` is a number. */
  get isStable(): boolean {
    return this.#count >= this.period;
  }

  /**
   * Appends a new bar.
   *
   * @param bar - The bar's `high`, `low`, `close` and optional `flag`.
   * @returns The ATR after this bar (`NaN` while warming up).
   */
  add(bar: HighLowCloseRow): number {
    if (this.#pendingRestart) {
      this.#pendingRestart = false;
      this.#prevClose = NaN;
      this.#count = 0;
      this.#sum = 0;
      this.#value = NaN;
    }
    this.#beforeClose = this.#prevClose;
    this.#beforeCount = this.#count;
    this.#beforeSum = this.#sum;
    this.#beforeValue = this.#value;
    this.#hasBar = true;
    return this.#step(bar);
  }

  /**
   * Replaces the last bar added (the still-forming bar, updated by a live feed); the same as
   * `add` when nothing was added yet. Any number of replacements in a row is allowed.
   *
   * @param bar - The new version of the last bar.
   * @returns The ATR with this version of the last bar.
   */
  replace(bar: HighLowCloseRow): number {
    if (!this.#hasBar) return this.add(bar);
    this.#prevClose = this.#beforeClose;
    this.#count = this.#beforeCount;
    this.#sum = this.#beforeSum;
    this.#value = this.#beforeValue;
    return this.#step(bar);
  }

  /**
   * Marks a large gap: the next bar `add`ed starts a new warm-up, as a `breaks` entry does in
   * {@link atr}. `value` keeps its current number until then, and a `replace` before the next
   * `add` still replaces the bar before the gap.
   */
  restart(): void {
    this.#pendingRestart = true;
  }

  #step(bar: HighLowCloseRow): number {
    const h = bar.high;
    const l = bar.low;
    const c = bar.close;
    const s = h + l + c;
    if (s - s !== 0 || isSyntheticFlag(bar.flag)) return this.#value;
    const pc = this.#prevClose;
    let tr: number;
    if (pc !== pc) {
      this.#prevClose = c;
      if (this.#talib) return this.#value;
      tr = h - l;
    } else {
      tr = Math.max(h - l, Math.abs(h - pc), Math.abs(l - pc));
      this.#prevClose = c;
    }
    if (this.#count < this.period) {
      this.#sum += tr;
      if (++this.#count === this.period) this.#value = this.#sum / this.period;
    } else {
      this.#value += (tr - this.#value) / this.period;
    }
    return this.#value;
  }
}
