/** The outlier kernel shared by `handleOutliers` and `preprocess`. Never exported. */
import type { OutlierMethod } from '../outlier-method.js';
import { BarFlag, BarFlagCode } from '../../schemas/bar-flag.js';
import type { Ohlcv } from '../../schemas/ohlcv.js';
import type { OhlcvColumns } from '../../schemas/ohlcv-columns.js';
import { copyColumns, gatherColumns, type MutableColumns } from '../../internal/columns.js';
import { ConfigError } from '../../errors/config-error.js';
import { DEFAULT_PREPROCESSING, DEFAULT_VALIDITY } from '../../schemas/config.js';
import { CLOSE_CALL, ringSquaredDeviations, ringSum } from '../../internal/ring-sums.js';

/** Outliers found: indices (ascending) and, for each, the band its prices are clipped to. */
export interface OutlierScan {
  readonly index: number[];
  readonly lo: number[];
  readonly hi: number[];
}

/**
 * The state of one pass over the closes, bar by bar (shared by the batch scan and
 * `OutlierHandler`, so both follow one rule). The return of a bar is `close / ref − 1`, where
 * `ref` is the previous bar's close as cleaned so far. A bar is an outlier when the window
 * holds `window` returns, their sample standard deviation `sd` is positive, and
 * `|r − mean| > threshold · sd`. `remove`: the bar leaves no return and `ref` stays;
 * otherwise the close is clipped into the band and the clipped return enters the window.
 * Synthetic bars are neither judged nor counted; a break (or a non-finite/non-positive
 * reference) starts again without a return. The running sums only pick the bars that may be
 * outliers; those are judged, and their band set, on the window's exact sums (`ring-sums.ts`),
 * so a window that turned flat flags nothing, whatever its running sums kept.
 */
export class OutlierScanState {
  readonly #ring: Float64Array;
  readonly #window: number;
  readonly #threshold: number;
  readonly #remove: boolean;
  #count = 0;
  #pos = 0;
  #sum = 0;
  #sumSq = 0;
  #ref = Number.NaN;
  /** The band of the last outlier found by {@link OutlierScanState.step}. */
  lo = Number.NaN;
  /** See {@link OutlierScanState.lo}. */
  hi = Number.NaN;

  constructor(threshold: number, window: number, remove: boolean) {
    this.#ring = new Float64Array(window);
    this.#window = window;
    this.#threshold = threshold;
    this.#remove = remove;
  }

  /**
   * Takes the next bar. Returns whether it is an outlier (its band then in `lo`/`hi`).
   *
   * @param c - Its close.
   * @param code - Its `BarFlagCode`.
   * @param restart - Whether it is the first bar after a break.
   */
  step(c: number, code: number, restart: boolean): boolean {
    if (!Number.isFinite(c)) return false;
    const ref = this.#ref;
    if (restart || !(ref > 0) || code === BarFlagCode.Interpolated || code === BarFlagCode.ForwardFilled) {
      this.#ref = c;
      return false;
    }
    const r = c / ref - 1;
    const window = this.#window;
    const threshold = this.#threshold;
    if (this.#count === window && this.#mayPass(r)) {
      const mean = ringSum(this.#ring, this.#pos) / window;
      const sd = Math.sqrt(ringSquaredDeviations(this.#ring, this.#pos, mean) / (window - 1));
      if (sd > 0 && Math.abs(r - mean) > threshold * sd) {
        const low = ref * (1 + mean - threshold * sd);
        const high = ref * (1 + mean + threshold * sd);
        this.lo = low;
        this.hi = high;
        if (this.#remove) return true;
        const clipped = Math.min(high, Math.max(low, c));
        this.#push(clipped / ref - 1);
        this.#ref = clipped;
        return true;
      }
    }
    this.#push(r);
    this.#ref = c;
    return false;
  }

  /** The running test of a full window, loosened by {@link CLOSE_CALL}: false means `r` is certainly not an outlier. */
  #mayPass(r: number): boolean {
    const window = this.#window;
    const mean = this.#sum / window;
    const sd = Math.sqrt(Math.max(0, (this.#sumSq - this.#sum * mean) / (window - 1)));
    return sd > 0 && Math.abs(r - mean) * CLOSE_CALL > this.#threshold * sd;
  }

  #push(r: number): void {
    const ring = this.#ring;
    if (this.#count < this.#window) {
      ring[this.#pos] = r;
      this.#sum += r;
      this.#sumSq += r * r;
      this.#count++;
    } else {
      const old = ring[this.#pos] as number;
      ring[this.#pos] = r;
      this.#sum += r - old;
      this.#sumSq += r * r - old * old;
    }
    this.#pos++;
    if (this.#pos === this.#window) {
      this.#pos = 0;
      // Re-sum exactly once per lap so rounding never accumulates.
      let sum = 0;
      let sumSq = 0;
      for (let k = 0; k < this.#count; k++) {
        const v = ring[k] as number;
        sum += v;
        sumSq += v * v;
      }
      this.#sum = sum;
      this.#sumSq = sumSq;
    }
  }
}

/** One pass over the closes with {@link OutlierScanState}; `breaks` are the indices of the first bar after each break, ascending. */
export function scanOutliers(
  close: ArrayLike<number>,
  flags: ArrayLike<number> | undefined,
  n: number,
  threshold: number,
  window: number,
  breaks: ArrayLike<number>,
  remove: boolean,
): OutlierScan {
  const index: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  const state = new OutlierScanState(threshold, window, remove);
  let nextBreak = 0;
  for (let i = 0; i < n; i++) {
    let restart = false;
    while (nextBreak < breaks.length && (breaks[nextBreak] as number) <= i) {
      if (breaks[nextBreak] === i) restart = true;
      nextBreak++;
    }
    if (state.step(close[i] as number, flags === undefined ? 0 : (flags[i] as number), restart)) {
      index.push(i);
      lo.push(state.lo);
      hi.push(state.hi);
    }
  }
  return { index, lo, hi };
}

const clamp = (value: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, value));

/** Applies a scan to columns (new arrays). */
export function applyOutliersToColumns(source: OhlcvColumns, scan: OutlierScan, method: OutlierMethod): MutableColumns {
  if (method === 'remove') {
    const keep = new Int32Array(source.length - scan.index.length);
    let k = 0;
    let next = 0;
    for (let i = 0; i < source.length; i++) {
      if (scan.index[next] === i) next++;
      else keep[k++] = i;
    }
    return gatherColumns(source, keep);
  }
  const out = copyColumns(source);
  if (method === 'flag') return out;
  const flags = out.flags ?? new Uint8Array(out.length);
  out.flags = flags;
  for (let k = 0; k < scan.index.length; k++) {
    const i = scan.index[k] as number;
    const lo = scan.lo[k] as number;
    const hi = scan.hi[k] as number;
    out.open[i] = clamp(out.open[i] as number, lo, hi);
    out.high[i] = clamp(out.high[i] as number, lo, hi);
    out.low[i] = clamp(out.low[i] as number, lo, hi);
    out.close[i] = clamp(out.close[i] as number, lo, hi);
    flags[i] = BarFlagCode.Clipped;
  }
  return out;
}

/** A row's open, high, low and close clipped into `[lo, hi]`, flagged `clipped` (a new object). */
export function clipRow(r: Ohlcv, lo: number, hi: number): Ohlcv {
  return {
    ...r,
    open: clamp(r.open, lo, hi),
    high: clamp(r.high, lo, hi),
    low: clamp(r.low, lo, hi),
    close: clamp(r.close, lo, hi),
    flag: BarFlag.Clipped,
  };
}

/** Applies a scan to rows (unchanged rows keep their objects). */
export function applyOutliersToRows(rows: readonly Ohlcv[], scan: OutlierScan, method: OutlierMethod): Ohlcv[] {
  if (method === 'remove') {
    const gone = new Set(scan.index);
    return rows.filter((_, i) => !gone.has(i));
  }
  const out = rows.slice();
  if (method === 'flag') return out;
  for (let k = 0; k < scan.index.length; k++) {
    const i = scan.index[k] as number;
    const lo = scan.lo[k] as number;
    const hi = scan.hi[k] as number;
    out[i] = clipRow(rows[i] as Ohlcv, lo, hi);
  }
  return out;
}

/** The method, threshold and window of `handleOutliers` and `OutlierHandler`, defaulted and checked. */
export interface OutlierOptions {
  readonly method: OutlierMethod;
  readonly threshold: number;
  readonly window: number;
}

/**
 * Defaults and checks the outlier options (`DEFAULT_PREPROCESSING.outliers` and
 * `outlierThreshold`, `DEFAULT_VALIDITY.outlierWindow`).
 *
 * @throws {@link ConfigError} on an unknown method, a threshold that is not positive or a window below 2.
 */
export function resolveOutlierOptions(options: {
  readonly method?: unknown;
  readonly threshold?: unknown;
  readonly window?: unknown;
}): OutlierOptions {
  const method: unknown = options.method ?? DEFAULT_PREPROCESSING.outliers;
  if (method !== 'clip' && method !== 'remove' && method !== 'flag') {
    throw new ConfigError(`Expected \`method\` to be 'clip', 'remove' or 'flag', got \`${String(method)}\``, {
      path: ['method'],
      value: method,
    });
  }
  const threshold: unknown = options.threshold ?? DEFAULT_PREPROCESSING.outlierThreshold;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold <= 0) {
    throw new ConfigError(`Expected \`threshold\` to be a positive number, got \`${String(threshold)}\``, {
      path: ['threshold'],
      value: threshold,
    });
  }
  const window: unknown = options.window ?? DEFAULT_VALIDITY.outlierWindow;
  if (typeof window !== 'number' || !Number.isSafeInteger(window) || window < 2) {
    throw new ConfigError(`Expected \`window\` to be an integer of at least 2, got \`${String(window)}\``, {
      path: ['window'],
      value: window,
    });
  }
  return { method, threshold, window };
}
