/**
 * The single-pass kernel behind `returns` and `logReturns`. Never exported from the package.
 */
import type { CloseColumns, CloseRow, CloseSeries } from '../indicators/indicator-input.js';
import { isSyntheticCode, isSyntheticFlag, resolveBreaks } from './indicators-options.js';

/**
 * Per-bar change of the close against the last usable close of the same segment: simple
 * (`(c − p) / p`) or logarithmic (`ln(c / p)`). A bar is usable when it is real (not
 * interpolated or forward-filled) and its close is finite; unusable bars and the first usable
 * bar of each segment get `NaN`.
 */
export function closeChanges(series: CloseSeries, breaks: ArrayLike<number> | undefined, log: boolean): Float64Array {
  const n = series.length;
  const out = new Float64Array(n);
  const cuts = resolveBreaks(breaks, n);
  if (Array.isArray(series)) {
    rowsKernel(series as readonly CloseRow[], cuts, log, out);
  } else {
    columnsKernel(series as CloseColumns, cuts, log, out);
  }
  return out;
}

function columnsKernel(series: CloseColumns, cuts: Int32Array, log: boolean, out: Float64Array): void {
  const n = out.length;
  const close = series.close;
  const flags = series.flags;
  let last = NaN;
  let segment = 0;
  let start = 0;
  while (start < n) {
    const end = segment < cuts.length ? (cuts[segment] as number) : n;
    last = NaN;
    if (flags === undefined) {
      if (log) {
        for (let i = start; i < end; i++) {
          const c = close[i] as number;
          if (c - c === 0) {
            out[i] = Math.log(c / last);
            last = c;
          } else out[i] = NaN;
        }
      } else {
        for (let i = start; i < end; i++) {
          const c = close[i] as number;
          if (c - c === 0) {
            out[i] = (c - last) / last;
            last = c;
          } else out[i] = NaN;
        }
      }
    } else {
      for (let i = start; i < end; i++) {
        const c = close[i] as number;
        if (c - c === 0 && !isSyntheticCode(flags[i])) {
          out[i] = log ? Math.log(c / last) : (c - last) / last;
          last = c;
        } else out[i] = NaN;
      }
    }
    start = end;
    segment++;
  }
}

function rowsKernel(rows: readonly CloseRow[], cuts: Int32Array, log: boolean, out: Float64Array): void {
  const n = out.length;
  let last = NaN;
  let next = cuts.length > 0 ? (cuts[0] as number) : n;
  let segment = 0;
  for (let i = 0; i < n; i++) {
    if (i === next) {
      last = NaN;
      segment++;
      next = segment < cuts.length ? (cuts[segment] as number) : n;
    }
    const row = rows[i] as CloseRow;
    const c = row.close;
    if (c - c === 0 && !isSyntheticFlag(row.flag)) {
      out[i] = log ? Math.log(c / last) : (c - last) / last;
      last = c;
    } else out[i] = NaN;
  }
}
