/**
 * The series every quality metric reads, converted and examined once: `scoreQuality` prepares
 * its input here and hands the result to each metric's kernel; a public `check*` function
 * called on its own prepares its input itself. Never exported from the package.
 */
import { looseColumns } from '../../internal/columns.js';
import { timeOrder } from '../../internal/time-order.js';
import type { OhlcvColumns, OhlcvSeries } from '../../schemas/ohlcv-columns.js';

/**
 * A series as columns with the facts about its timestamps that the metrics share.
 *
 * Invariants: `times[k] === cols.timestamp[order[k]]` (`order` undefined: `times` is
 * `cols.timestamp`); `times` is non-decreasing over its non-NaN values, `NaN` last (the stable
 * order of `timeOrder`); `oldest <= newest` when either is finite.
 */
export interface PreparedSeries {
  /** The bars as columns (the input's own arrays when it is columns; never written). */
  readonly cols: OhlcvColumns;
  /** The stable time-order permutation (NaN last); `undefined` when the bars are already in that order. */
  readonly order: Int32Array | undefined;
  /** The timestamps in time order, epoch ms: `cols.timestamp` itself when `order` is undefined. */
  readonly times: Float64Array;
  /** The oldest finite timestamp, epoch ms; NaN when none is finite. */
  readonly oldest: number;
  /** The newest finite timestamp, epoch ms; NaN when none is finite. */
  readonly newest: number;
}

/**
 * Converts `bars` to columns once (`looseColumns`: rows copied, columns used as they are) and
 * works out their time order, oldest and newest finite timestamps: one pass over the
 * timestamps for bars in order, plus a sort for bars out of order.
 *
 * @param bars - Rows or columns, any order; not modified.
 * @returns The prepared series.
 */
export function prepareSeries(bars: OhlcvSeries): PreparedSeries {
  const cols = looseColumns(bars);
  const n = cols.length;
  const order = timeOrder(cols.timestamp, n);
  let times = cols.timestamp;
  if (order !== undefined) {
    times = new Float64Array(n);
    for (let k = 0; k < n; k++) times[k] = cols.timestamp[order[k]!]!;
  } else if (times.length !== n) {
    times = times.subarray(0, n);
  }
  let oldest = Number.NaN;
  let newest = Number.NaN;
  for (let k = 0; k < n && Number.isNaN(oldest); k++) if (Number.isFinite(times[k]!)) oldest = times[k]!;
  for (let k = n - 1; k >= 0 && Number.isNaN(newest); k--) if (Number.isFinite(times[k]!)) newest = times[k]!;
  return { cols, order, times, oldest, newest };
}
