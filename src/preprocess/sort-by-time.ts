import { copyColumns, gatherColumns, timestampsOf } from '../internal/columns.js';
import { readSeries } from '../internal/series-input.js';
import { timeOrder } from '../internal/time-order.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import { isOhlcvColumns, type OhlcvColumns, type OhlcvSeries } from '../schemas/ohlcv-columns.js';

/**
 * The bars in ascending time order. The sort is stable: bars sharing a timestamp keep their
 * input order (so `dedupe` after it still knows which came first). Bars without a finite
 * timestamp go last, in input order. Already sorted input costs one pass.
 *
 * @param bars - Rows or columns.
 * @returns A new series of the same kind (rows keep their objects); the input is not modified.
 *
 * @example
 * ```ts
 * sortByTime([{ timestamp: 2, ... }, { timestamp: 1, ... }]).map((b) => b.timestamp) // [1, 2]
 * ```
 */
export function sortByTime<S extends OhlcvSeries>(bars: S): S extends OhlcvColumns ? OhlcvColumns : Ohlcv[] {
  type Out = S extends OhlcvColumns ? OhlcvColumns : Ohlcv[];
  const series: OhlcvSeries = readSeries(bars).series;
  const order = timeOrder(timestampsOf(series), series.length);
  if (isOhlcvColumns(series)) {
    if (order === undefined) return copyColumns(series) as Out;
    return gatherColumns(series, order) as Out;
  }
  if (order === undefined) return series.slice() as Out;
  const out = new Array<Ohlcv>(order.length);
  for (let k = 0; k < order.length; k++) out[k] = series[order[k] as number] as Ohlcv;
  return out as Out;
}
