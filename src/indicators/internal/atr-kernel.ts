/**
 * Single-pass kernels behind `trueRange` and `atr`. Never exported from the package.
 */
import { BarFlagCode } from '../../schemas/bar-flag.js';
import { readFieldSeries } from '../../internal/series-input.js';
import type { HighLowCloseColumns, HighLowCloseRow, HighLowCloseSeries } from '../indicator-input.js';
import { isSyntheticCode, isSyntheticFlag } from './atr-options.js';

const HLC_FIELDS = ['high', 'low', 'close'] as const;
const NO_BARS: HighLowCloseColumns = { length: 0, high: new Float64Array(0), low: new Float64Array(0), close: new Float64Array(0) };

/**
 * Rows as columns (one pass, three arrays and a flag array only when a row is synthetic), after the
 * boundary check of `readFieldSeries`.
 */
export function highLowCloseColumns(input: HighLowCloseSeries): HighLowCloseColumns {
  // The boundary: rows that are not objects or hold non-numbers, columns `length` does not fit.
  const series = readFieldSeries(input, HLC_FIELDS, true, NO_BARS).series;
  if (!Array.isArray(series)) return series as HighLowCloseColumns;
  const rows = series as readonly HighLowCloseRow[];
  const n = rows.length;
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  let flags: Uint8Array | undefined;
  for (let i = 0; i < n; i++) {
    const row = rows[i] as HighLowCloseRow;
    high[i] = row.high;
    low[i] = row.low;
    close[i] = row.close;
    if (isSyntheticFlag(row.flag)) {
      flags ??= new Uint8Array(n);
      flags[i] = BarFlagCode.Interpolated;
    }
  }
  return flags === undefined ? { length: n, high, low, close } : { length: n, high, low, close, flags };
}

/**
 * True range per bar. A bar is usable when it is real and its high, low and close are finite;
 * unusable bars get `NaN` and are skipped (the next bar measures from the last usable close).
 * The first usable bar of a segment gets `high − low`, or `NaN` when `talib`.
 */
export function trueRangeKernel(series: HighLowCloseColumns, cuts: Int32Array, talib: boolean): Float64Array {
  const n = series.length;
  const out = new Float64Array(n);
  let start = 0;
  // One call per segment, on the arrays rather than the series object: a loop nested in a
  // segment loop optimises far worse in V8, and a series of another shape would deoptimise it.
  for (let segment = 0; segment <= cuts.length; segment++) {
    const end = segment < cuts.length ? (cuts[segment] as number) : n;
    trueRangeSegment(series.high, series.low, series.close, series.flags, talib, out, start, end);
    start = end;
  }
  return out;
}

function trueRangeSegment(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  flags: ArrayLike<number> | undefined,
  talib: boolean,
  out: Float64Array,
  start: number,
  end: number,
): void {
  let pc = NaN;
  for (let i = start; i < end; i++) {
    const h = high[i] as number;
    const l = low[i] as number;
    const c = close[i] as number;
    const s = h + l + c;
    if (s - s !== 0 || (flags !== undefined && isSyntheticCode(flags[i]))) {
      out[i] = NaN;
    } else if (pc !== pc) {
      out[i] = talib ? NaN : h - l;
      pc = c;
    } else {
      out[i] = Math.max(h - l, Math.abs(h - pc), Math.abs(l - pc));
      pc = c;
    }
  }
}

/**
 * Wilder's ATR per bar: the mean of the first `period` true ranges of a segment, then
 * `a ← a + (tr − a) / period`, into `out` (one entry per bar, every one written). Unusable
 * bars (see `trueRangeKernel`) repeat the current value.
 */
export function atrKernel(series: HighLowCloseColumns, cuts: Int32Array, period: number, talib: boolean, out: Float64Array): void {
  const n = series.length;
  let start = 0;
  for (let segment = 0; segment <= cuts.length; segment++) {
    const end = segment < cuts.length ? (cuts[segment] as number) : n;
    atrSegment(series.high, series.low, series.close, series.flags, period, talib, out, start, end);
    start = end;
  }
}

function atrSegment(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  flags: ArrayLike<number> | undefined,
  period: number,
  talib: boolean,
  out: Float64Array,
  start: number,
  end: number,
): void {
  let pc = NaN;
  let count = 0;
  let sum = 0;
  let a = NaN;
  for (let i = start; i < end; i++) {
    const h = high[i] as number;
    const l = low[i] as number;
    const c = close[i] as number;
    const s = h + l + c;
    if (s - s !== 0 || (flags !== undefined && isSyntheticCode(flags[i]))) {
      out[i] = a;
      continue;
    }
    let tr: number;
    if (pc !== pc) {
      pc = c;
      if (talib) {
        out[i] = a;
        continue;
      }
      tr = h - l;
    } else {
      tr = Math.max(h - l, Math.abs(h - pc), Math.abs(l - pc));
      pc = c;
    }
    if (count < period) {
      sum += tr;
      if (++count === period) a = sum / period;
    } else {
      a += (tr - a) / period;
    }
    out[i] = a;
  }
}
