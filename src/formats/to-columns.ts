import { rowsToColumns } from '../internal/columns.js';
import { readSeries } from '../internal/series-input.js';
import { isOhlcvColumns, type OhlcvColumns, type OhlcvSeries } from '../schemas/ohlcv-columns.js';

/**
 * Converts bars held as rows to `OhlcvColumns` (one `Float64Array` per field), in one pass.
 * Columns are returned as they are (not copied).
 *
 * Optional fields: a column exists when **at least one** row has the field; rows without
 * it hold `NaN` there, which `toRows` turns back into an absent field, so
 * `toRows(toColumns(rows))` deep-equals `rows` for every valid series. (Dropping a column
 * because one bar lacks it — say a forward-filled bar without `quoteVolume` — would lose
 * the values of every other bar.) A column that no row has is omitted. `flag` becomes the
 * `flags` column of `BarFlagCode`s (0 for a real bar); `count` the `count` column; the provenance
 * counts `synthetic` and `missing` their columns, with 0 where a row lacks them (absent means 0,
 * so `toRows` leaves a 0 out: the one field a round trip does not keep as written).
 *
 * Never invents a number: a field that is not a number (`"100"`, `null`, `true`, `[]`) is `NaN`
 * in its column (`validateOhlcv` then reports it as `finite_values`, as it does for the rows), and
 * a row that is not an object (`null`, a hole of a sparse array) is a bar of `NaN`s. Columns are
 * checked once: when their `length` is not a count of bars or their arrays hold fewer values, or
 * a field is not a `Float64Array`, they are read as an empty series (`validateOhlcv` reports
 * `malformed_columns`).
 *
 * The input is never mutated.
 *
 * @param series - bars as rows (or columns, returned unchanged).
 * @returns Columns whose arrays are exactly `length` long.
 *
 * @example
 * ```ts
 * const cols = toColumns([
 *   { timestamp: 0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10, quoteVolume: 15 },
 *   { timestamp: 60000, open: 1.5, high: 1.5, low: 1.5, close: 1.5, volume: 0, flag: 'forward_filled' },
 * ]);
 * cols.close        // Float64Array [1.5, 1.5]
 * cols.quoteVolume  // Float64Array [15, NaN]
 * cols.flags        // Uint8Array [0, 2]
 * cols.trades       // undefined
 * ```
 */
export function toColumns(series: OhlcvSeries): OhlcvColumns {
  return isOhlcvColumns(series) ? readSeries(series).series : rowsToColumns(series);
}
