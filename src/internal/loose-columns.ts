/**
 * Rows to columns for the `quality/` kernels, until `formats/` owns the conversion. Never
 * exported from the package.
 */
import { barFlagCode, type BarFlag } from '../schemas/bar-flag.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import { isOhlcvColumns, type OhlcvColumns, type OhlcvSeries } from '../schemas/ohlcv-columns.js';

/** A number field read from a row that may come from untrusted JSON: anything else is NaN. */
export function numberOrNaN(value: unknown): number {
  return typeof value === 'number' ? value : Number.NaN;
}

/**
 * The series as columns: columns are returned as they are (never copied, never written);
 * rows are copied once into new arrays, with `null`, missing or non-numeric fields as NaN.
 * A `flags` column is built only when some row carries a flag.
 */
export function qualityColumns(series: OhlcvSeries): OhlcvColumns {
  if (isOhlcvColumns(series)) return series;
  const rows: readonly Ohlcv[] = series;
  const n = rows.length;
  const timestamp = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  let flags: Uint8Array | undefined;
  for (let i = 0; i < n; i++) {
    const row = rows[i] as Partial<Record<keyof Ohlcv, unknown>> | null | undefined;
    timestamp[i] = numberOrNaN(row?.timestamp);
    open[i] = numberOrNaN(row?.open);
    high[i] = numberOrNaN(row?.high);
    low[i] = numberOrNaN(row?.low);
    close[i] = numberOrNaN(row?.close);
    volume[i] = numberOrNaN(row?.volume);
    const flag = row?.flag;
    if (flag !== undefined) {
      flags ??= new Uint8Array(n);
      flags[i] = barFlagCode(flag as BarFlag);
    }
  }
  return { length: n, timestamp, open, high, low, close, volume, ...(flags === undefined ? {} : { flags }) };
}
