import { requireTimeframe } from '../internal/options.js';
import { readSeries } from '../internal/series-input.js';
import { ConfigError } from '../errors/config-error.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import { isOhlcvColumns, type OhlcvColumns, type OhlcvSeries } from '../schemas/ohlcv-columns.js';
import { bucketEnd } from '../time/bucket-end.js';
import { FIXED_WIDTH_MS, type Timeframe } from '../time/timeframe.js';
import { toRows } from '../formats/to-rows.js';
import { orderingWidth } from './internal/timeframe-pairs.js';
import { partitionPoint } from '../internal/search.js';

/** A lower-timeframe bar with the last higher-timeframe bar that had closed when it closed. */
export type JoinedBar = Ohlcv & {
  /** The higher bar, or `undefined` before the first higher bar closes. */
  readonly higher: Ohlcv | undefined;
};

/** Ascending close times, NaN after every number (a plain difference is NaN there, which `sort` reads as equal). */
function byCloseTime(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return Number(Number.isNaN(x)) - Number(Number.isNaN(y));
  return x - y;
}

function closeTimes(ts: Float64Array, n: number, tf: Timeframe): Float64Array {
  const out = new Float64Array(n);
  if (tf === '1M') {
    for (let i = 0; i < n; i++) out[i] = bucketEnd(ts[i] as number, '1M');
  } else {
    const width = FIXED_WIDTH_MS[tf];
    for (let i = 0; i < n; i++) out[i] = (ts[i] as number) + width;
  }
  return out;
}

/**
 * For each lower bar, the index of the higher bar to attach, or -1. Higher bars are visited in
 * the order of their close time (ties: the later in the input wins; bars without a time, NaN,
 * last, where no close reaches them); the lower bars may come in any order, and one without a
 * time gets -1.
 */
function matchIndices(
  lowerTs: Float64Array,
  nLower: number,
  lowerTf: Timeframe,
  higherTs: Float64Array,
  nHigher: number,
  higherTf: Timeframe,
): Int32Array {
  const lowerClose = closeTimes(lowerTs, nLower, lowerTf);
  const higherClose = closeTimes(higherTs, nHigher, higherTf);
  let sorted = true;
  for (let h = 1; h < nHigher; h++) {
    if (!((higherClose[h] as number) >= (higherClose[h - 1] as number))) sorted = false;
  }
  const order = Int32Array.from({ length: nHigher }, (_, h) => h);
  if (!sorted) order.sort((a, b) => byCloseTime(higherClose[a] as number, higherClose[b] as number) || a - b);
  const out = new Int32Array(nLower);
  let h = -1; // order[h] is the last higher bar closed by the previous lower close
  let previous = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < nLower; i++) {
    const close = lowerClose[i] as number;
    if (Number.isNaN(close)) {
      out[i] = -1;
      continue;
    }
    if (close < previous) {
      // Lower bars out of order: binary search for the last higher close <= close.
      h = partitionPoint(0, nHigher, (k) => (higherClose[order[k] as number] as number) <= close) - 1;
    } else {
      while (h + 1 < nHigher && (higherClose[order[h + 1] as number] as number) <= close) h++;
    }
    previous = close;
    out[i] = h < 0 ? -1 : (order[h] as number);
  }
  return out;
}

/**
 * Attaches to each lower-timeframe bar the last higher-timeframe bar that had **closed** at the
 * lower bar's close: a higher bar opened at `t` closes at `bucketEnd(t, higherTf)`, a lower bar
 * at `bucketEnd(t, lowerTf)`. A higher bar still open when the lower bar closes is never
 * attached (no look-ahead, the classic backtest leak), so the 10:00 1m bar (closing 10:01)
 * sees the 1H bar of 09:00, and the 10:59 1m bar (closing 11:00) sees the 10:00 one.
 *
 * Rows in: one row per lower bar, `{ ...lowerBar, higher }` (`higher` is `undefined` before
 * the first higher bar closes). Columns in: an `Int32Array` with, per lower bar, the index of
 * the attached higher bar in `higher`, or -1. Works for inputs in any order (duplicated
 * higher bars: the later one wins). Never mutates the inputs.
 *
 * @param lower - The lower-timeframe bars.
 * @param lowerTf - Their timeframe.
 * @param higher - The higher-timeframe bars, rows or columns.
 * @param higherTf - Their timeframe, at least as large as `lowerTf`.
 * @returns Joined rows, or indices into `higher` for columns.
 * @throws ConfigError for an unknown timeframe or `higherTf` smaller than `lowerTf`.
 *
 * @example
 * ```ts
 * const bar = (t: number, close: number) => ({ timestamp: t, open: close, high: close, low: close, close, volume: 1 });
 * const lower = [bar(Date.UTC(2024, 0, 1, 1, 0), 1), bar(Date.UTC(2024, 0, 1, 1, 59), 2)];
 * const hourly = [bar(Date.UTC(2024, 0, 1, 0), 10), bar(Date.UTC(2024, 0, 1, 1), 11)];
 * joinHigherTimeframe(lower, '1m', hourly, '1H').map((b) => b.higher?.close) // [10, 11]
 * ```
 */
export function joinHigherTimeframe(lower: readonly Ohlcv[], lowerTf: Timeframe, higher: OhlcvSeries, higherTf: Timeframe): JoinedBar[];
export function joinHigherTimeframe(lower: OhlcvColumns, lowerTf: Timeframe, higher: OhlcvSeries, higherTf: Timeframe): Int32Array;
export function joinHigherTimeframe(
  lowerInput: OhlcvSeries,
  lowerTf: Timeframe,
  higherInput: OhlcvSeries,
  higherTf: Timeframe,
): JoinedBar[] | Int32Array {
  const lower = readSeries(lowerInput).series;
  const higher = readSeries(higherInput).series;
  const lowTf = requireTimeframe(lowerTf, ['lowerTf']);
  const highTf = requireTimeframe(higherTf, ['higherTf']);
  if (orderingWidth(highTf) < orderingWidth(lowTf)) {
    throw new ConfigError(`Expected \`higherTf\` to be at least \`${lowTf}\`, got \`${highTf}\``, { path: ['higherTf'], value: higherTf });
  }
  const higherTs = isOhlcvColumns(higher) ? higher.timestamp : Float64Array.from(higher, (bar) => bar.timestamp);
  const nHigher = higher.length;
  if (isOhlcvColumns(lower)) return matchIndices(lower.timestamp, lower.length, lowTf, higherTs, nHigher, highTf);
  const lowerTs = Float64Array.from(lower, (bar) => bar.timestamp);
  const index = matchIndices(lowerTs, lower.length, lowTf, higherTs, nHigher, highTf);
  const higherRows: readonly Ohlcv[] = isOhlcvColumns(higher) ? toRows(higher) : higher;
  return lower.map((bar, i): JoinedBar => {
    const h = index[i] as number;
    return { ...bar, higher: h < 0 ? undefined : higherRows[h] };
  });
}
