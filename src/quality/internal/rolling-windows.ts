/**
 * Rolling windows for the robust kernel of `detectOutliers`: a sliding sum and a sliding
 * median with median absolute deviation. Each is allocated once per call and updated in place: no allocation per bar.
 * Never exported from the package.
 */
import { ringSum } from '../../internal/ring-sums.js';
import { lowerBound } from '../../internal/search.js';

/**
 * Sum of the last `size` values pushed. Recomputed exactly at each wrap, so rounding does not
 * drift; in between it keeps a rounding residue (`ring-sums.ts`), and {@link RollingSum.window}
 * with {@link RollingSum.start} give the exact one.
 */
export class RollingSum {
  /** The values, a ring whose oldest is at {@link RollingSum.start} once full. */
  readonly window: Float64Array;
  private pos = 0;
  private filled = 0;
  /** Sum of the values in the window. */
  sum = 0;

  constructor(readonly size: number) {
    this.window = new Float64Array(size);
  }

  /** Whether the window holds `size` values. */
  get full(): boolean {
    return this.filled === this.size;
  }

  /** The slot of the oldest value (the next write). */
  get start(): number {
    return this.pos;
  }

  push(x: number): void {
    const old = this.window[this.pos] ?? 0;
    this.window[this.pos] = x;
    this.sum += this.filled === this.size ? x - old : x;
    if (this.filled < this.size) this.filled++;
    this.pos++;
    if (this.pos === this.size) {
      this.pos = 0;
      this.sum = ringSum(this.window, 0);
    }
  }
}

/**
 * Median and median absolute deviation of the last `size` values pushed. The window is kept
 * sorted (binary search and `copyWithin`), so the median is read directly and the MAD is
 * found by walking outwards from the median: O(size) per bar.
 */
export class RollingMedian {
  private readonly ring: Float64Array;
  private readonly sorted: Float64Array;
  private pos = 0;
  private filled = 0;

  constructor(readonly size: number) {
    this.ring = new Float64Array(size);
    this.sorted = new Float64Array(size);
  }

  /** Whether the window holds `size` values. */
  get full(): boolean {
    return this.filled === this.size;
  }

  push(x: number): void {
    const sorted = this.sorted;
    if (this.filled === this.size) {
      const old = this.ring[this.pos] ?? 0;
      const at = lowerBound(sorted, old, 0, this.filled);
      sorted.copyWithin(at, at + 1, this.filled);
      this.filled--;
    }
    const at = lowerBound(sorted, x, 0, this.filled);
    sorted.copyWithin(at + 1, at, this.filled);
    sorted[at] = x;
    this.filled++;
    this.ring[this.pos] = x;
    this.pos = (this.pos + 1) % this.size;
  }

  /** Median of the window (mean of the two middle values for an even count). */
  median(): number {
    const n = this.filled;
    const s = this.sorted;
    if (n === 0) return Number.NaN;
    const mid = n >>> 1;
    return n % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
  }

  /** Median of `|x − median|` over the window, by merging the two sorted runs of deviations. */
  mad(median: number): number {
    const n = this.filled;
    const s = this.sorted;
    if (n === 0) return Number.NaN;
    // Deviations left of the split grow leftwards, right of it rightwards: merge them.
    let right = lowerBound(s, median, 0, n);
    let left = right - 1;
    const target = n >>> 1; // index of the upper middle deviation
    let lower = 0;
    let current = 0;
    for (let k = 0; k <= target; k++) {
      const dl = left >= 0 ? median - (s[left] ?? 0) : Infinity;
      const dr = right < n ? (s[right] ?? 0) - median : Infinity;
      lower = current;
      if (dl <= dr) {
        current = dl;
        left--;
      } else {
        current = dr;
        right++;
      }
    }
    return n % 2 === 1 ? current : (lower + current) / 2;
  }
}
