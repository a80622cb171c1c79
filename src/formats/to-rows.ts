import type { Ohlcv } from '../schemas/ohlcv.js';
import { isOhlcvColumns, type OhlcvColumns, type OhlcvSeries } from '../schemas/ohlcv-columns.js';
import { rowAt } from '../internal/columns.js';
import { readSeries } from '../internal/series-input.js';

/**
 * Converts `OhlcvColumns` to an array of bar objects, the inverse of `toColumns`. Rows are
 * returned as they are (not copied).
 *
 * Only the first `columns.length` entries are read; columns whose `length` their arrays do not
 * back are read as an empty series (see `toColumns`). Rows holding a non-row (`null`, a hole) or
 * a non-number field come back with that row replaced by a copy holding `NaN` there. An optional column becomes a field on
 * the rows where its value is not `NaN` (`NaN` marks a bar without that field); a `flags`
 * code of 0 (a real bar) adds no `flag`, and a `synthetic` or `missing` of 0 (provenance: none) adds no field.
 *
 * @param series - bars as columns (or rows, returned unchanged).
 * @returns Fresh row objects, in column order.
 *
 * @example
 * ```ts
 * toRows({
 *   length: 1,
 *   timestamp: Float64Array.of(0), open: Float64Array.of(1), high: Float64Array.of(2),
 *   low: Float64Array.of(0.5), close: Float64Array.of(1.5), volume: Float64Array.of(10),
 *   flags: Uint8Array.of(3),
 * })
 * // [{ timestamp: 0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10, flag: 'clipped' }]
 * ```
 */
export function toRows(series: OhlcvColumns): Ohlcv[];
export function toRows(series: OhlcvSeries): readonly Ohlcv[];
export function toRows(series: OhlcvSeries): readonly Ohlcv[] {
  if (!isOhlcvColumns(series)) return readSeries(series).series;
  const checked = readSeries(series).series;
  const rows = new Array<Ohlcv>(checked.length);
  for (let i = 0; i < checked.length; i++) rows[i] = rowAt(checked, i);
  return rows;
}
