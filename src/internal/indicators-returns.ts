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
  // One call per segment: a loop nested in a segment loop optimises far worse in V8 (~3×).
  const n = out.length;
  const { close, flags } = series;
  let start = 0;
  for (let segment = 0; segment <= cuts.length; segment++) {
    const end = segment < cuts.length ? (cuts[segment] as number) : n;
    if (end > start) {
      const done =
        flags === undefined &&
        (log ? plainLogSegment(close, out, start, end) : plainSimpleSegment(close, out, start, end));
      if (!done) carefulSegment(close, flags, log, out, start, end);
    }
    start = end;
  }
}

/**
 * Fast paths of a segment without flags: the plain loop, plus a running sum of the closes that
 * is finite only when every close is. They return false (and the caller redoes the segment on
 * the careful path) when some close is not finite. Simple and log are separate functions so
 * each keeps its own type feedback in V8.
 */
function plainSimpleSegment(close: ArrayLike<number>, out: Float64Array, start: number, end: number): boolean {
  let acc = close[start] as number;
  out[start] = NaN;
  for (let i = start + 1; i < end; i++) {
    const c = close[i] as number;
    const p = close[i - 1] as number;
    out[i] = (c - p) / p;
    acc += c;
  }
  return acc - acc === 0;
}

function plainLogSegment(close: ArrayLike<number>, out: Float64Array, start: number, end: number): boolean {
  let acc = close[start] as number;
  out[start] = NaN;
  for (let i = start + 1; i < end; i++) {
    const c = close[i] as number;
    out[i] = Math.log(c / (close[i - 1] as number));
    acc += c;
  }
  return acc - acc === 0;
}

/** Any segment: skips synthetic bars and non-finite closes, measuring from the last usable close. */
function carefulSegment(
  close: ArrayLike<number>,
  flags: ArrayLike<number> | undefined,
  log: boolean,
  out: Float64Array,
  start: number,
  end: number,
): void {
  let last = NaN;
  for (let i = start; i < end; i++) {
    const c = close[i] as number;
    if (c - c === 0 && (flags === undefined || !isSyntheticCode(flags[i]))) {
      out[i] = log ? Math.log(c / last) : (c - last) / last;
      last = c;
    } else out[i] = NaN;
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
