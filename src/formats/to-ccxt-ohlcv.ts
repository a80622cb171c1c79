import type { Ohlcv } from '../schemas/ohlcv.js';
import { isOhlcvColumns, type OhlcvSeries } from '../schemas/ohlcv-columns.js';
import { readSeries } from '../internal/series-input.js';

/** One bar in ccxt's array form: open time in epoch ms, then prices and base volume. */
export type CcxtOhlcv = [timestamp: number, open: number, high: number, low: number, close: number, volume: number];

/**
 * Writes bars (rows or columns) as ccxt OHLCV arrays, the form ccxt's `fetchOHLCV` returns
 * and freqtrade stores as JSON. Optional fields (`quoteVolume`, `trades`, `flag`, …) have no
 * place in that form and are left out.
 *
 * @param input - bars as rows or columns; not mutated. A row that is not an object or a field
 *   that is not a number is written as `NaN`; columns that their `length` does not fit are read as
 *   an empty series (see `toColumns`).
 * @returns One fresh `[timestamp, open, high, low, close, volume]` array per bar.
 *
 * @example
 * ```ts
 * toCcxtOhlcv([{ timestamp: 1570752000000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10, trades: 3 }])
 * // [[1570752000000, 1, 2, 0.5, 1.5, 10]]
 * ```
 */
export function toCcxtOhlcv(input: OhlcvSeries): CcxtOhlcv[] {
  const series = readSeries(input).series;
  if (!isOhlcvColumns(series)) {
    return series.map((bar: Ohlcv): CcxtOhlcv => [bar.timestamp, bar.open, bar.high, bar.low, bar.close, bar.volume]);
  }
  const { length, timestamp, open, high, low, close, volume } = series;
  const out = new Array<CcxtOhlcv>(length);
  for (let i = 0; i < length; i++) {
    out[i] = [timestamp[i] as number, open[i] as number, high[i] as number, low[i] as number, close[i] as number, volume[i] as number];
  }
  return out;
}
