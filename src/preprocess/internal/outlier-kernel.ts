/** The outlier kernel shared by `handleOutliers` and `preprocess`. Never exported. */
import type { OutlierMethod } from '../outlier-method.js';
import { BarFlag, BarFlagCode } from '../../schemas/bar-flag.js';
import type { Ohlcv } from '../../schemas/ohlcv.js';
import type { OhlcvColumns } from '../../schemas/ohlcv-columns.js';
import { copyColumns, gatherColumns, type MutableColumns } from '../../internal/columns.js';

/** Outliers found: indices (ascending) and, for each, the band its prices are clipped to. */
export interface OutlierScan {
  readonly index: number[];
  readonly lo: number[];
  readonly hi: number[];
}

/**
 * One pass over the closes. The return of bar i is `close[i] / ref − 1`, where `ref` is the
 * previous bar's close as cleaned so far. Bar i is an outlier when the window holds `window`
 * returns, their sample standard deviation `sd` is positive, and
 * `|r − mean| > threshold · sd`. `remove`: the bar leaves no return and `ref` stays;
 * otherwise the close is clipped into the band and the clipped return enters the window.
 * Synthetic bars are neither judged nor counted; a break (or a non-finite/non-positive
 * reference) starts again without a return.
 */
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
  const ring = new Float64Array(window);
  let count = 0;
  let pos = 0;
  let sum = 0;
  let sumSq = 0;
  let ref = Number.NaN;
  let nextBreak = 0;
  const push = (r: number): void => {
    if (count < window) {
      ring[pos] = r;
      sum += r;
      sumSq += r * r;
      count++;
    } else {
      const old = ring[pos] as number;
      ring[pos] = r;
      sum += r - old;
      sumSq += r * r - old * old;
    }
    pos++;
    if (pos === window) {
      pos = 0;
      // Re-sum exactly once per lap so rounding never accumulates.
      sum = 0;
      sumSq = 0;
      for (let k = 0; k < count; k++) {
        const v = ring[k] as number;
        sum += v;
        sumSq += v * v;
      }
    }
  };
  for (let i = 0; i < n; i++) {
    const c = close[i] as number;
    let restart = false;
    while (nextBreak < breaks.length && (breaks[nextBreak] as number) <= i) {
      if (breaks[nextBreak] === i) restart = true;
      nextBreak++;
    }
    if (!Number.isFinite(c)) continue;
    if (restart || !(ref > 0)) {
      ref = c;
      continue;
    }
    const code = flags === undefined ? 0 : (flags[i] as number);
    if (code === BarFlagCode.Interpolated || code === BarFlagCode.ForwardFilled) {
      ref = c;
      continue;
    }
    const r = c / ref - 1;
    if (count === window) {
      const mean = sum / window;
      const sd = Math.sqrt(Math.max(0, (sumSq - sum * mean) / (window - 1)));
      if (sd > 0 && Math.abs(r - mean) > threshold * sd) {
        const low = ref * (1 + mean - threshold * sd);
        const high = ref * (1 + mean + threshold * sd);
        index.push(i);
        lo.push(low);
        hi.push(high);
        if (remove) continue;
        const clipped = Math.min(high, Math.max(low, c));
        push(clipped / ref - 1);
        ref = clipped;
        continue;
      }
    }
    push(r);
    ref = c;
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
    const r = rows[i] as Ohlcv;
    out[i] = {
      ...r,
      open: clamp(r.open, lo, hi),
      high: clamp(r.high, lo, hi),
      low: clamp(r.low, lo, hi),
      close: clamp(r.close, lo, hi),
      flag: BarFlag.Clipped,
    };
  }
  return out;
}
