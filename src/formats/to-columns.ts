import type { Ohlcv } from '../schemas/ohlcv.js';
import { isOhlcvColumns, type OhlcvColumns, type OhlcvSeries } from '../schemas/ohlcv-columns.js';
import { barFlagCode } from '../schemas/bar-flag.js';

function nanColumn(length: number): Float64Array {
  return new Float64Array(length).fill(Number.NaN);
}

/**
 * Converts bars held as rows to `OhlcvColumns` (one `Float64Array` per field), in one pass.
 * Columns are returned as they are (not copied).
 *
 * Optional fields: a column exists when **at least one** row has the field; rows without
 * it hold `NaN` there, which `toRows` turns back into an absent field, so
 * `toRows(toColumns(rows))` deep-equals `rows` for every valid series. (Dropping a column
 * because one bar lacks it — say a forward-filled bar without `quoteVolume` — would lose
 * the values of every other bar.) A column that no row has is omitted. `flag` becomes the
 * `flags` column of `BarFlagCode`s (0 for a real bar); `count` the `count` column.
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
  if (isOhlcvColumns(series)) return series;
  const n = series.length;
  const timestamp = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  let quoteVolume: Float64Array | undefined;
  let trades: Float64Array | undefined;
  let takerBuyVolume: Float64Array | undefined;
  let flags: Uint8Array | undefined;
  let count: Float64Array | undefined;
  for (let i = 0; i < n; i++) {
    const bar = series[i] as Ohlcv;
    timestamp[i] = bar.timestamp;
    open[i] = bar.open;
    high[i] = bar.high;
    low[i] = bar.low;
    close[i] = bar.close;
    volume[i] = bar.volume;
    if (bar.quoteVolume !== undefined) (quoteVolume ??= nanColumn(n))[i] = bar.quoteVolume;
    if (bar.trades !== undefined) (trades ??= nanColumn(n))[i] = bar.trades;
    if (bar.takerBuyVolume !== undefined) (takerBuyVolume ??= nanColumn(n))[i] = bar.takerBuyVolume;
    if (bar.flag !== undefined) (flags ??= new Uint8Array(n))[i] = barFlagCode(bar.flag);
    if (bar.count !== undefined) (count ??= nanColumn(n))[i] = bar.count;
  }
  return {
    length: n,
    timestamp,
    open,
    high,
    low,
    close,
    volume,
    ...(quoteVolume !== undefined ? { quoteVolume } : {}),
    ...(trades !== undefined ? { trades } : {}),
    ...(takerBuyVolume !== undefined ? { takerBuyVolume } : {}),
    ...(flags !== undefined ? { flags } : {}),
    ...(count !== undefined ? { count } : {}),
  };
}
