import { checkValidity } from '../quality/check-validity.js';
import { BarFlagCode } from '../schemas/bar-flag.js';
import type { OhlcvColumns } from '../schemas/ohlcv-columns.js';
import type { ValidityConfig } from '../schemas/config.js';
import { isAligned } from '../time/is-aligned.js';
import type { Timeframe } from '../time/timeframe.js';

/** Verdicts of one bar: bit 0 = not valid (a broken rule or an outlier), bit 1 = not consistent (off the grid). */
const INVALID = 1;
const INCONSISTENT = 2;

/**
 * The bars of a series' quality window with a verdict each, so that the documents re-judge
 * only the bars that arrived since the last ones. Not exported from the package.
 *
 * Each bar is judged once, when it joins, by the same rules as `checkValidity` (OHLCV rules
 * and the outlier tests, whose rolling windows are the bars before it — see
 * {@link QualityLedger.history}) and the grid rule of `checkConsistency`. A window
 * therefore scores what `scoreQuality` gives for the same bars except near the window's
 * start, where `scoreQuality` on the window alone would judge the first bars without the
 * bars before them (shorter outlier windows) and the ledger keeps their verdicts from when
 * they arrived.
 *
 * Invariant: timestamps strictly increase; `first()`..`newest` are the bars held.
 */
export class QualityLedger {
  /**
   * Real bars of history the first bar to judge needs before it: the longer outlier window
   * plus one (the previous close of the first return). Filled bars are not fed into the
   * windows, so a caller reading history by time reads further back while it holds fewer.
   *
   * @param validity - The validity configuration.
   * @returns A number of bars.
   */
  static history(validity: ValidityConfig): number {
    return Math.max(validity.outlierWindow, validity.volumeWindow) + 1;
  }

  /**
   * Real (not interpolated or forward-filled) bars among `bars[0..end)`.
   *
   * @param bars - Columns, `flags` optional (absent: all real).
   * @param end - Index, exclusive.
   * @returns A count.
   */
  static realBars(bars: OhlcvColumns, end: number): number {
    const flags = bars.flags;
    if (flags === undefined) return end;
    let real = 0;
    for (let i = 0; i < end; i++) {
      const code = flags[i];
      if (code !== BarFlagCode.Interpolated && code !== BarFlagCode.ForwardFilled) real++;
    }
    return real;
  }

  #times: number[] = [];
  #verdicts: number[] = [];
  #head = 0;
  #invalid = 0;
  #inconsistent = 0;

  /** Open time of the newest bar held, epoch ms; `-Infinity` when empty. */
  get newest(): number {
    return this.#times.length > this.#head ? (this.#times[this.#times.length - 1] as number) : Number.NEGATIVE_INFINITY;
  }

  /** Open time of the oldest bar held, epoch ms; `undefined` when empty. */
  first(): number | undefined {
    return this.#times[this.#head];
  }

  /** Bars held. */
  get size(): number {
    return this.#times.length - this.#head;
  }

  /** Bars held that are not valid. */
  get invalid(): number {
    return this.#invalid;
  }

  /** Bars held that are not consistent. */
  get inconsistent(): number {
    return this.#inconsistent;
  }

  /**
   * Judges `bars[from..]` (each newer than {@link newest}; earlier bars are history for the
   * rolling windows) and adds them.
   *
   * @param bars - History then the bars to add, in time order.
   * @param from - Index of the first bar to add.
   * @param timeframe - The series' timeframe.
   * @param validity - The validity configuration.
   */
  add(bars: OhlcvColumns, from: number, timeframe: Timeframe, validity: ValidityConfig): void {
    const n = bars.length;
    if (from >= n) return;
    const result = checkValidity(bars, { timeframe, config: validity });
    const verdicts = new Uint8Array(n);
    // As checkValidity counts: a bar that breaks a rule or is an outlier (the union).
    for (const issue of result.validation.issues) verdicts[issue.index] = INVALID;
    for (const outlier of result.outliers.outliers) verdicts[outlier.index] = INVALID;
    for (let i = from; i < n; i++) {
      const t = bars.timestamp[i] as number;
      const verdict = (verdicts[i] as number) | (isAligned(t, timeframe) ? 0 : INCONSISTENT);
      this.#times.push(t);
      this.#verdicts.push(verdict);
      if ((verdict & INVALID) !== 0) this.#invalid++;
      if ((verdict & INCONSISTENT) !== 0) this.#inconsistent++;
    }
  }

  /**
   * Forgets the bars that open before `start`.
   *
   * @param start - Epoch ms.
   */
  dropBefore(start: number): void {
    while (this.#head < this.#times.length && (this.#times[this.#head] as number) < start) {
      const verdict = this.#verdicts[this.#head] as number;
      if ((verdict & INVALID) !== 0) this.#invalid--;
      if ((verdict & INCONSISTENT) !== 0) this.#inconsistent--;
      this.#head++;
    }
    // Compact once the dropped prefix outweighs what is held.
    if (this.#head > 64 && this.#head * 2 > this.#times.length) {
      this.#times = this.#times.slice(this.#head);
      this.#verdicts = this.#verdicts.slice(this.#head);
      this.#head = 0;
    }
  }

  /**
   * Bars held that open at or after `start` (a binary search).
   *
   * @param start - Epoch ms.
   * @returns A count.
   */
  countSince(start: number): number {
    let lo = this.#head;
    let hi = this.#times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#times[mid] as number) < start) lo = mid + 1;
      else hi = mid;
    }
    return this.#times.length - lo;
  }
}
