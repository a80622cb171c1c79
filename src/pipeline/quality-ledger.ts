import { outlierState, scanOutliers, type OutlierState } from '../internal/quality-outlier-scan.js';
import type { Outlier } from '../quality/detect-outliers.js';
import type { MutableColumns } from '../internal/columns.js';
import { BarFlagCode, barFlagCode } from '../schemas/bar-flag.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import type { OhlcvColumns } from '../schemas/ohlcv-columns.js';
import type { ValidityConfig } from '../schemas/config.js';
import { isAligned } from '../time/is-aligned.js';
import type { Timeframe } from '../time/timeframe.js';
import { validateOhlcv } from '../validate/validate-ohlcv.js';

/** Verdicts of one bar: bit 0 = not valid (a broken rule or an outlier), bit 1 = not consistent (off the grid). */
const INVALID = 1;
const INCONSISTENT = 2;

/**
 * The bars of a series' quality window with a verdict each, so that the documents judge only
 * the bars that arrived since the last ones. Not exported from the package.
 *
 * Each bar is judged once, when it joins, by the rules `checkValidity` applies (the OHLCV rules
 * of `validateOhlcv` and the outlier tests of `detectOutliers`) and the grid rule of
 * `checkConsistency`. The outlier tests' rolling windows live in the ledger and move on with
 * every bar fed to it, so a bar is judged against the real bars before it exactly as
 * `checkValidity` over the whole series judges it, however the bars arrive. A new ledger's
 * windows start from the history its first call gives (see {@link QualityLedger.history}).
 *
 * Invariant: timestamps strictly increase; `first()`..`newest` are the bars held, and every
 * bar fed (judged or history) opens at or before {@link QualityLedger.fed}.
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
   * Bars the outlier windows take among `bars[0..end)`: those without a flag (the scan skips
   * interpolated, forward-filled and clipped bars alike).
   *
   * @param bars - Columns, `flags` optional (absent: all real).
   * @param end - Index, exclusive.
   * @returns A count.
   */
  static realBars(bars: OhlcvColumns, end: number): number {
    const flags = bars.flags;
    if (flags === undefined) return end;
    let real = 0;
    for (let i = 0; i < end; i++) if (flags[i] === BarFlagCode.None) real++;
    return real;
  }

  readonly #timeframe: Timeframe;
  readonly #validity: ValidityConfig;
  readonly #windows: OutlierState;
  readonly #found: Outlier[] = [];
  #fed = Number.NEGATIVE_INFINITY;
  /** Reused columns for {@link QualityLedger.addRows} (only the first `length` entries count). */
  #scratch: MutableColumns | undefined;
  #times: number[] = [];
  #verdicts: number[] = [];
  #head = 0;
  #invalid = 0;
  #inconsistent = 0;

  /**
   * @param timeframe - The series' timeframe (the grid rule).
   * @param validity - The resolved validity configuration (rules, windows, thresholds).
   */
  constructor(timeframe: Timeframe, validity: ValidityConfig) {
    this.#timeframe = timeframe;
    this.#validity = validity;
    this.#windows = outlierState(validity);
  }

  /** Open time of the newest bar fed to the ledger (judged, or history for the windows), epoch ms; `-Infinity` before the first. */
  get fed(): number {
    return this.#fed;
  }

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
   * Feeds `bars` to the rolling windows in order; judges and adds `bars[from..]`. The bars
   * before `from` are history: on a new ledger, the real bars before the first one to judge;
   * later, bars fed since that fall before the window (usually none: `from` = 0).
   *
   * @param bars - Bars newer than {@link fed}, in time order.
   * @param from - Index of the first bar to judge and add.
   */
  add(bars: OhlcvColumns, from: number): void {
    const n = bars.length;
    if (n === 0) return;
    const found = this.#found;
    found.length = 0;
    scanOutliers(bars, this.#validity, this.#windows, found);
    const issues = validateOhlcv(bars).issues;
    this.#fed = bars.timestamp[n - 1] as number;
    if (from >= n) return;
    // As checkValidity counts: a bar that breaks a rule or is an outlier (the union).
    let verdicts: Uint8Array | undefined;
    if (issues.length > 0 || found.length > 0) {
      verdicts = new Uint8Array(n - from);
      for (const issue of issues) if (issue.index >= from) verdicts[issue.index - from] = INVALID;
      for (const outlier of found) if (outlier.index >= from) verdicts[outlier.index - from] = INVALID;
    }
    for (let i = from; i < n; i++) {
      const t = bars.timestamp[i] as number;
      const verdict = (verdicts?.[i - from] ?? 0) | (isAligned(t, this.#timeframe) ? 0 : INCONSISTENT);
      this.#times.push(t);
      this.#verdicts.push(verdict);
      if ((verdict & INVALID) !== 0) this.#invalid++;
      if ((verdict & INCONSISTENT) !== 0) this.#inconsistent++;
    }
  }

  /**
   * {@link QualityLedger.add} for bars as rows, all judged: the pipeline feeds each series'
   * new bars as it stores them, through columns the ledger reuses (no allocation per call).
   *
   * @param bars - Bars newer than {@link fed}, in time order.
   */
  addRows(bars: readonly Ohlcv[]): void {
    const n = bars.length;
    let c = this.#scratch;
    if (c === undefined || c.timestamp.length < n) {
      const size = Math.max(8, 2 * n);
      c = {
        length: 0,
        timestamp: new Float64Array(size),
        open: new Float64Array(size),
        high: new Float64Array(size),
        low: new Float64Array(size),
        close: new Float64Array(size),
        volume: new Float64Array(size),
        flags: new Uint8Array(size),
      };
      this.#scratch = c;
    }
    const flags = c.flags as Uint8Array;
    for (let i = 0; i < n; i++) {
      const bar = bars[i] as Ohlcv;
      c.timestamp[i] = bar.timestamp;
      c.open[i] = bar.open;
      c.high[i] = bar.high;
      c.low[i] = bar.low;
      c.close[i] = bar.close;
      c.volume[i] = bar.volume;
      flags[i] = barFlagCode(bar.flag);
    }
    c.length = n;
    this.add(c, 0);
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
