/**
 * Rows <-> columns conversion and small series helpers for `gaps/` and `preprocess/`.
 * Never exported from the package (the public converters live in `formats/`).
 */
import { BAR_FLAG_BY_CODE, barFlagCode } from '../schemas/bar-flag.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import type { OhlcvColumns } from '../schemas/ohlcv-columns.js';

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
}

/** The optional numeric columns, in a fixed order. */
export const OPTIONAL_COLUMNS = ['quoteVolume', 'trades', 'takerBuyVolume', 'count'] as const;

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
 * Rows as columns. An optional field becomes a column when any row has it; rows without it
 * hold `NaN` there. Flags become a `flags` column only when some row has a flag.
 */
export function rowsToColumns(rows: readonly Ohlcv[]): MutableColumns {
  const n = rows.length;
  const out: MutableColumns = {
    length: n,
    timestamp: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  let hasQuote = false;
  let hasTrades = false;
  let hasTaker = false;
  let hasCount = false;
  let hasFlag = false;
  for (let i = 0; i < n; i++) {
    const r = rows[i] as Ohlcv;
    out.timestamp[i] = r.timestamp;
    out.open[i] = r.open;
    out.high[i] = r.high;
    out.low[i] = r.low;
    out.close[i] = r.close;
    out.volume[i] = r.volume;
    hasQuote ||= r.quoteVolume !== undefined;
    hasTrades ||= r.trades !== undefined;
    hasTaker ||= r.takerBuyVolume !== undefined;
    hasCount ||= r.count !== undefined;
    hasFlag ||= r.flag !== undefined;
  }
  if (hasQuote) out.quoteVolume = optionalColumn(rows, (r) => r.quoteVolume);
  if (hasTrades) out.trades = optionalColumn(rows, (r) => r.trades);
  if (hasTaker) out.takerBuyVolume = optionalColumn(rows, (r) => r.takerBuyVolume);
  if (hasCount) out.count = optionalColumn(rows, (r) => r.count);
  if (hasFlag) {
    const flags = new Uint8Array(n);
    for (let i = 0; i < n; i++) flags[i] = barFlagCode((rows[i] as Ohlcv).flag);
    out.flags = flags;
  }
  return out;
}

function optionalColumn(rows: readonly Ohlcv[], get: (row: Ohlcv) => number | undefined): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = get(rows[i] as Ohlcv) ?? Number.NaN;
  return out;
}

/** Row `i` of a columns object; `NaN` optional entries and flag code 0 are left out. */
export function rowAt(columns: OhlcvColumns, i: number): Ohlcv {
  const row: Ohlcv = {
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
  const count = columns.count?.[i];
  if (count !== undefined && !Number.isNaN(count)) row.count = count;
  const flag = BAR_FLAG_BY_CODE[columns.flags?.[i] ?? 0];
  if (flag !== undefined) row.flag = flag;
  return row;
}

/** Columns as rows (new objects). */
export function columnsToRows(columns: OhlcvColumns): Ohlcv[] {
  const out = new Array<Ohlcv>(columns.length);
  for (let i = 0; i < columns.length; i++) out[i] = rowAt(columns, i);
  return out;
}

/**
 * A new columns object holding the bars of `source` at `indices`, in that order
 * (a gather). Optional columns present in `source` are carried. Runs of consecutive indices
 * are copied as blocks, so a near-identity gather (dedupe, removal) costs little more than a copy.
 */
export function gatherColumns(source: OhlcvColumns, indices: ArrayLike<number>, length = indices.length): MutableColumns {
  const runs = runsOf(indices, length);
  const out: MutableColumns = {
    length,
    timestamp: gather(source.timestamp, runs, length),
    open: gather(source.open, runs, length),
    high: gather(source.high, runs, length),
    low: gather(source.low, runs, length),
    close: gather(source.close, runs, length),
    volume: gather(source.volume, runs, length),
  };
  for (const key of OPTIONAL_COLUMNS) {
    const column = source[key];
    if (column !== undefined) out[key] = gather(column, runs, length);
  }
  if (source.flags !== undefined) out.flags = gather(source.flags, runs, length);
  return out;
}

/** Runs of consecutive source indices: triples (output start, source start, length). */
function runsOf(indices: ArrayLike<number>, length: number): number[] {
  const runs: number[] = [];
  let k = 0;
  while (k < length) {
    const from = indices[k] as number;
    let len = 1;
    while (k + len < length && indices[k + len] === from + len) len++;
    runs.push(k, from, len);
    k += len;
  }
  return runs;
}

function gather<A extends Float64Array | Uint8Array>(column: A, runs: readonly number[], length: number): A {
  const out = new (column.constructor as new (n: number) => A)(length);
  for (let r = 0; r < runs.length; r += 3) {
    const to = runs[r] as number;
    const from = runs[r + 1] as number;
    const len = runs[r + 2] as number;
    if (len === 1) out[to] = column[from] as number;
    else out.set(column.subarray(from, from + len), to);
  }
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
