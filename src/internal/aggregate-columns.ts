import type { Ohlcv } from '../schemas/ohlcv.js';
import type { OhlcvColumns } from '../schemas/ohlcv-columns.js';
import { BAR_FLAG_BY_CODE, barFlagCode } from '../schemas/bar-flag.js';

/** `OhlcvColumns` whose arrays this module allocated and may fill. */
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

/**
 * Rows to columns. An optional field becomes a column when at least one row has it; rows
 * without it hold `NaN` there (so a sum over a bucket with a missing value is `NaN`, which
 * {@link columnsToRows} turns back into an absent field). A row without `count` counts 1.
 */
export function rowsToColumns(rows: readonly Ohlcv[]): MutableColumns {
  const n = rows.length;
  let hasQuote = false;
  let hasTrades = false;
  let hasTaker = false;
  let hasFlag = false;
  let hasCount = false;
  const timestamp = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = rows[i] as Ohlcv;
    timestamp[i] = row.timestamp;
    open[i] = row.open;
    high[i] = row.high;
    low[i] = row.low;
    close[i] = row.close;
    volume[i] = row.volume;
    if (row.quoteVolume !== undefined) hasQuote = true;
    if (row.trades !== undefined) hasTrades = true;
    if (row.takerBuyVolume !== undefined) hasTaker = true;
    if (row.flag !== undefined) hasFlag = true;
    if (row.count !== undefined) hasCount = true;
  }
  const columns: MutableColumns = { length: n, timestamp, open, high, low, close, volume };
  if (hasQuote) columns.quoteVolume = optionalColumn(rows, (row) => row.quoteVolume);
  if (hasTrades) columns.trades = optionalColumn(rows, (row) => row.trades);
  if (hasTaker) columns.takerBuyVolume = optionalColumn(rows, (row) => row.takerBuyVolume);
  if (hasCount) {
    const count = new Float64Array(n);
    for (let i = 0; i < n; i++) count[i] = (rows[i] as Ohlcv).count ?? 1;
    columns.count = count;
  }
  if (hasFlag) {
    const flags = new Uint8Array(n);
    for (let i = 0; i < n; i++) flags[i] = barFlagCode((rows[i] as Ohlcv).flag);
    columns.flags = flags;
  }
  return columns;
}

function optionalColumn(rows: readonly Ohlcv[], read: (row: Ohlcv) => number | undefined): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = read(rows[i] as Ohlcv) ?? Number.NaN;
  return out;
}

/** Columns to rows; `NaN` in an optional column means the field is absent on that row. */
export function columnsToRows(columns: OhlcvColumns): Ohlcv[] {
  const { length, timestamp, open, high, low, close, volume, quoteVolume, trades, takerBuyVolume, flags, count } = columns;
  const rows = new Array<Ohlcv>(length);
  for (let i = 0; i < length; i++) {
    const row: Ohlcv = {
      timestamp: timestamp[i] as number,
      open: open[i] as number,
      high: high[i] as number,
      low: low[i] as number,
      close: close[i] as number,
      volume: volume[i] as number,
    };
    if (quoteVolume !== undefined && !Number.isNaN(quoteVolume[i])) row.quoteVolume = quoteVolume[i];
    if (trades !== undefined && !Number.isNaN(trades[i])) row.trades = trades[i];
    if (takerBuyVolume !== undefined && !Number.isNaN(takerBuyVolume[i])) row.takerBuyVolume = takerBuyVolume[i];
    if (flags !== undefined) {
      const flag = BAR_FLAG_BY_CODE[flags[i] as number];
      if (flag !== undefined) row.flag = flag;
    }
    if (count !== undefined) row.count = count[i];
    rows[i] = row;
  }
  return rows;
}

/** Copies the rows of `columns` listed in `keep` (ascending indices) into new columns. */
export function pickRows(columns: OhlcvColumns, keep: Int32Array, m: number): MutableColumns {
  const take = (src: Float64Array): Float64Array => {
    const out = new Float64Array(m);
    for (let j = 0; j < m; j++) out[j] = src[keep[j] as number] as number;
    return out;
  };
  const out: MutableColumns = {
    length: m,
    timestamp: take(columns.timestamp),
    open: take(columns.open),
    high: take(columns.high),
    low: take(columns.low),
    close: take(columns.close),
    volume: take(columns.volume),
  };
  if (columns.quoteVolume !== undefined) out.quoteVolume = take(columns.quoteVolume);
  if (columns.trades !== undefined) out.trades = take(columns.trades);
  if (columns.takerBuyVolume !== undefined) out.takerBuyVolume = take(columns.takerBuyVolume);
  if (columns.count !== undefined) out.count = take(columns.count);
  if (columns.flags !== undefined) {
    const flags = new Uint8Array(m);
    for (let j = 0; j < m; j++) flags[j] = columns.flags[keep[j] as number] as number;
    out.flags = flags;
  }
  return out;
}
