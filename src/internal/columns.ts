/**
 * The rows <-> columns conversions and the column helpers shared by the kernels: rows to
 * columns (valid rows, and untrusted rows for the checks), one row read out of columns, the
 * mutable columns type the kernels build, gathers and copies. Never exported from the package
 * (the public converters `toColumns` / `toRows` in `formats/` are built on
 * {@link rowsToColumns} and {@link rowAt}).
 */
import { BAR_FLAG_BY_CODE, barFlagCode, type BarFlag } from '../schemas/bar-flag.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import { isOhlcvColumns, type OhlcvColumns, type OhlcvSeries } from '../schemas/ohlcv-columns.js';
import { readSeries } from './series-input.js';

/** A mutable columns object, as built by the kernels before it is handed out. */
export interface MutableColumns {
  length: number;
  timestamp: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  quoteVolume?: Float64Array;
  trades?: Float64Array;
  takerBuyVolume?: Float64Array;
  flags?: Uint8Array;
  count?: Float64Array;
  synthetic?: Float64Array;
  missing?: Float64Array;
}

/** The optional numeric columns, in a fixed order. */
export const OPTIONAL_COLUMNS = ['quoteVolume', 'trades', 'takerBuyVolume', 'count', 'synthetic', 'missing'] as const;

/** Timestamps of a series as one `Float64Array` (the columns' own array when given columns). */
export function timestampsOf(series: readonly Ohlcv[] | OhlcvColumns): Float64Array {
  if (!Array.isArray(series)) {
    const columns = series as OhlcvColumns;
    return columns.timestamp.length === columns.length ? columns.timestamp : columns.timestamp.subarray(0, columns.length);
  }
  const rows = series as readonly Ohlcv[];
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = (rows[i] as Ohlcv).timestamp;
  return out;
}

/**
 * Row `i` of a columns object, as a new object: an optional column becomes a field where its
 * value is not `NaN`, a `flags` code of 0 (a real bar) adds no `flag`, and a provenance count
 * (`synthetic`, `missing`) of 0 adds no field (absent means 0).
 */
export function rowAt(columns: OhlcvColumns, i: number): Ohlcv {
  const row: { -readonly [K in keyof Ohlcv]: Ohlcv[K] } = {
    timestamp: columns.timestamp[i] as number,
    open: columns.open[i] as number,
    high: columns.high[i] as number,
    low: columns.low[i] as number,
    close: columns.close[i] as number,
    volume: columns.volume[i] as number,
  };
  const quote = columns.quoteVolume?.[i];
  if (quote !== undefined && !Number.isNaN(quote)) row.quoteVolume = quote;
  const trades = columns.trades?.[i];
  if (trades !== undefined && !Number.isNaN(trades)) row.trades = trades;
  const taker = columns.takerBuyVolume?.[i];
  if (taker !== undefined && !Number.isNaN(taker)) row.takerBuyVolume = taker;
  const flag = columns.flags === undefined ? undefined : BAR_FLAG_BY_CODE[columns.flags[i] as number];
  if (flag !== undefined) row.flag = flag;
  const count = columns.count?.[i];
  if (count !== undefined && !Number.isNaN(count)) row.count = count;
  const synthetic = columns.synthetic?.[i];
  if (synthetic !== undefined && synthetic > 0) row.synthetic = synthetic;
  const missing = columns.missing?.[i];
  if (missing !== undefined && missing > 0) row.missing = missing;
  return row;
}

/**
 * A new columns object holding the bars of `source` at `indices` (first `length` entries), in
 * that order: a gather. Optional columns and `flags` present in `source` are carried.
 */
export function gatherColumns(source: OhlcvColumns, indices: ArrayLike<number>, length = indices.length): MutableColumns {
  const out: MutableColumns = {
    length,
    timestamp: gather(source.timestamp, indices, length),
    open: gather(source.open, indices, length),
    high: gather(source.high, indices, length),
    low: gather(source.low, indices, length),
    close: gather(source.close, indices, length),
    volume: gather(source.volume, indices, length),
  };
  for (const key of OPTIONAL_COLUMNS) {
    const column = source[key];
    if (column !== undefined) out[key] = gather(column, indices, length);
  }
  if (source.flags !== undefined) out.flags = gather(source.flags, indices, length);
  return out;
}

function gather<A extends Float64Array | Uint8Array>(column: A, indices: ArrayLike<number>, length: number): A {
  const out = new (column.constructor as new (n: number) => A)(length);
  for (let k = 0; k < length; k++) out[k] = column[indices[k] as number] as number;
  return out;
}

/** A copy of the first `length` bars of `source` (fresh arrays, same optional columns). */
export function copyColumns(source: OhlcvColumns): MutableColumns {
  const n = source.length;
  const out: MutableColumns = {
    length: n,
    timestamp: source.timestamp.slice(0, n),
    open: source.open.slice(0, n),
    high: source.high.slice(0, n),
    low: source.low.slice(0, n),
    close: source.close.slice(0, n),
    volume: source.volume.slice(0, n),
  };
  for (const key of OPTIONAL_COLUMNS) {
    const column = source[key];
    if (column !== undefined) out[key] = column.slice(0, n);
  }
  if (source.flags !== undefined) out.flags = source.flags.slice(0, n);
  return out;
}

function nanColumn(length: number): Float64Array {
  return new Float64Array(length).fill(Number.NaN);
}

/**
 * Rows to columns in one pass; see `toColumns` for the treatment of optional fields. Never
 * invents a number: a field that is not a number (a string, `null`, `true`, an array) becomes
 * `NaN` in a required column and is left out of an optional one, a row that is not an object (a
 * hole, `null`) is a bar of `NaN`s, and a `flag` that is not a bar flag counts as none.
 */
export function rowsToColumns(series: readonly Ohlcv[]): OhlcvColumns {
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
  // Provenance counts: absent means 0.
  let synthetic: Float64Array | undefined;
  let missing: Float64Array | undefined;
  for (let i = 0; i < n; i++) {
    const bar = series[i] as Partial<Record<keyof Ohlcv, unknown>> | null | undefined;
    if (typeof bar !== 'object' || bar === null) {
      timestamp[i] = open[i] = high[i] = low[i] = close[i] = volume[i] = Number.NaN;
      continue;
    }
    const t = bar.timestamp;
    const o = bar.open;
    const h = bar.high;
    const l = bar.low;
    const c = bar.close;
    const v = bar.volume;
    timestamp[i] = typeof t === 'number' ? t : Number.NaN;
    open[i] = typeof o === 'number' ? o : Number.NaN;
    high[i] = typeof h === 'number' ? h : Number.NaN;
    low[i] = typeof l === 'number' ? l : Number.NaN;
    close[i] = typeof c === 'number' ? c : Number.NaN;
    volume[i] = typeof v === 'number' ? v : Number.NaN;
    const q = bar.quoteVolume;
    if (typeof q === 'number') (quoteVolume ??= nanColumn(n))[i] = q;
    const k = bar.trades;
    if (typeof k === 'number') (trades ??= nanColumn(n))[i] = k;
    const b = bar.takerBuyVolume;
    if (typeof b === 'number') (takerBuyVolume ??= nanColumn(n))[i] = b;
    const flag = bar.flag;
    if (flag !== undefined) {
      const code = barFlagCode(flag as BarFlag);
      if (code !== 0) (flags ??= new Uint8Array(n))[i] = code;
    }
    const m = bar.count;
    if (typeof m === 'number') (count ??= nanColumn(n))[i] = m;
    const sy = bar.synthetic;
    if (typeof sy === 'number') (synthetic ??= new Float64Array(n))[i] = sy;
    const mi = bar.missing;
    if (typeof mi === 'number') (missing ??= new Float64Array(n))[i] = mi;
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
    ...(synthetic !== undefined ? { synthetic } : {}),
    ...(missing !== undefined ? { missing } : {}),
  };
}

/** A number field read from a row that may come from untrusted JSON: anything else is NaN. */
export function numberOrNaN(value: unknown): number {
  return typeof value === 'number' ? value : Number.NaN;
}

/**
 * Untrusted rows to columns, for the checks that judge them (`quality/`, `validate/`): columns
 * are returned as they are (never copied, never written) once `readSeries` accepts them, and as
 * an empty series when it refuses them; rows are copied once into new arrays,
 * with `null`, missing or non-numeric fields as NaN, the optional numeric fields left out. A
 * `flags` column is built only when some row carries a flag. (Valid rows go through
 * {@link rowsToColumns}, which keeps every field.)
 */
export function looseColumns(series: OhlcvSeries): OhlcvColumns {
  if (isOhlcvColumns(series)) return readSeries(series).series;
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
