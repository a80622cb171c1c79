/**
 * The single-pass kernel behind `returns` and `logReturns`. Never exported from the package.
 */
import type { CloseColumns, CloseRow, CloseSeries, ReturnsOptions } from '../indicator-input.js';
import { outputArray } from './output-array.js';
import { readFieldSeries } from '../../internal/series-input.js';
import { resolveBreaks } from '../../internal/options.js';
import { isSyntheticCode, isSyntheticFlag } from './atr-options.js';

const CLOSE_FIELDS = ['close'] as const;
const NO_CLOSES: CloseColumns = { length: 0, close: new Float64Array(0) };

/**
 * Per-bar change of the close against the last usable close of the same segment: simple
 * (`(c − p) / p`) or logarithmic (`ln(c / p)`). A bar is usable when it is real (not
 * interpolated or forward-filled) and its close is finite; unusable bars and the first usable
 * bar of each segment get `NaN`. Written into `options.out` when given (checked by
 * `outputArray`), otherwise into a new array.
 */
export function closeChanges(input: CloseSeries, options: ReturnsOptions | undefined, log: boolean): Float64Array {
  const series = readFieldSeries(input, CLOSE_FIELDS, true, NO_CLOSES).series;
  const n = series.length;
  const cuts = resolveBreaks(options?.breaks, n);
  const out = outputArray(options?.out, n, Array.isArray(series) ? [] : [(series as CloseColumns).close]);
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
    if (flags !== undefined) {
      carefulSegment(close, flags, log, out, start, end);
    } else {
      const sum = log ? plainLogSegment(close, out, start, end) : plainSimpleSegment(close, out, start, end);
      if (!Number.isFinite(sum)) carefulSegment(close, flags, log, out, start, end);
    }
    start = end;
  }
}

/**
 * Fast paths of a segment without flags: the plain loop (its first entry is `NaN` because
 * `prev` starts as `NaN`), returning the sum of the closes, which is finite only when every
 * close is; when it is not, the caller redoes the segment on the careful path. Nothing is read
 * outside the loop and simple and log are separate functions, so V8's on-stack-replaced code
 * never meets an operation it has no type feedback for.
 */
function plainSimpleSegment(close: ArrayLike<number>, out: Float64Array, start: number, end: number): number {
  let prev = NaN;
  let acc = 0;
  for (let i = start; i < end; i++) {
    const c = close[i] as number;
    out[i] = (c - prev) / prev;
    prev = c;
    acc += c;
  }
  return acc;
}

function plainLogSegment(close: ArrayLike<number>, out: Float64Array, start: number, end: number): number {
  let prev = NaN;
  let acc = 0;
  for (let i = start; i < end; i++) {
    const c = close[i] as number;
    out[i] = Math.log(c / prev);
    prev = c;
    acc += c;
  }
  return acc;
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
