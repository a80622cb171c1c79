import { lowerBound } from '../../internal/search.js';

/** Verdict bit: the bar breaks an OHLCV rule or is an outlier (what `checkValidity` counts as bad). */
export const INVALID = 1;
/** Verdict bit: the bar opens off the timeframe grid (what `checkConsistency` counts as misaligned). */
export const INCONSISTENT = 2;

/**
 * The bars of a quality window, oldest first, each with the verdict it got when it joined, and
 * running counts of each verdict bit. A private store of `QualityTracker`.
 *
 * Invariant: open times strictly increase (the caller appends newer bars only); `invalid` and
 * `inconsistent` count the bars held whose verdict has that bit.
 */
export class JudgedBars {
  #times: number[] = [];
  #verdicts: number[] = [];
  /** Index of the oldest bar held: bars before it are dropped but not yet compacted away. */
  #head = 0;
  #invalid = 0;
  #inconsistent = 0;

  /** Bars held. */
  get size(): number {
    return this.#times.length - this.#head;
  }

  /** Bars held whose verdict has {@link INVALID}. */
  get invalid(): number {
    return this.#invalid;
  }

  /** Bars held whose verdict has {@link INCONSISTENT}. */
  get inconsistent(): number {
    return this.#inconsistent;
  }

  /** Open time of the oldest bar held, epoch ms; `undefined` when empty. */
  first(): number | undefined {
    return this.#times[this.#head];
  }

  /** Open time of the newest bar held, epoch ms; `-Infinity` when empty. */
  newest(): number {
    return this.#times.length > this.#head ? (this.#times[this.#times.length - 1] as number) : Number.NEGATIVE_INFINITY;
  }

  /**
   * Appends one bar.
   *
   * @param time - Open time, epoch ms, after every bar held.
   * @param verdict - {@link INVALID} and {@link INCONSISTENT} bits (0: good).
   */
  push(time: number, verdict: number): void {
    this.#times.push(time);
    this.#verdicts.push(verdict);
    if ((verdict & INVALID) !== 0) this.#invalid++;
    if ((verdict & INCONSISTENT) !== 0) this.#inconsistent++;
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
    return this.#times.length - lowerBound(this.#times, start, this.#head);
  }
}
