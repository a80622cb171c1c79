import type { OhlcvColumns } from '../../schemas/ohlcv-columns.js';

const FLOAT_KEYS = ['quoteVolume', 'trades', 'takerBuyVolume', 'count'] as const;

/** Copies rows `start..length-1` of every column present (a sorted series cut at `start`). */
export function retentionSliceColumns(cols: OhlcvColumns, start: number): OhlcvColumns {
  const end = cols.length;
  const optional: Partial<Record<(typeof FLOAT_KEYS)[number], Float64Array>> = {};
  for (const key of FLOAT_KEYS) {
    const column = cols[key];
    if (column !== undefined) optional[key] = column.slice(start, end);
  }
  return {
    length: end - start,
    timestamp: cols.timestamp.slice(start, end),
    open: cols.open.slice(start, end),
    high: cols.high.slice(start, end),
    low: cols.low.slice(start, end),
    close: cols.close.slice(start, end),
    volume: cols.volume.slice(start, end),
    ...optional,
    ...(cols.flags !== undefined ? { flags: cols.flags.slice(start, end) } : {}),
  };
}

/** Copies the rows whose timestamp is not below `cutoff` (any order), in their order. */
export function retentionFilterColumns(cols: OhlcvColumns, cutoff: number, kept: number): OhlcvColumns {
  const n = cols.length;
  const ts = cols.timestamp;
  const gather = (src: Float64Array): Float64Array => {
    const out = new Float64Array(kept);
    let j = 0;
    for (let i = 0; i < n; i++) if (!((ts[i] ?? 0) < cutoff)) out[j++] = src[i] ?? 0;
    return out;
  };
  const optional: Partial<Record<(typeof FLOAT_KEYS)[number], Float64Array>> = {};
  for (const key of FLOAT_KEYS) {
    const column = cols[key];
    if (column !== undefined) optional[key] = gather(column);
  }
  let flags: Uint8Array | undefined;
  if (cols.flags !== undefined) {
    flags = new Uint8Array(kept);
    let j = 0;
    for (let i = 0; i < n; i++) if (!((ts[i] ?? 0) < cutoff)) flags[j++] = cols.flags[i] ?? 0;
  }
  return {
    length: kept,
    timestamp: gather(ts),
    open: gather(cols.open),
    high: gather(cols.high),
    low: gather(cols.low),
    close: gather(cols.close),
    volume: gather(cols.volume),
    ...optional,
    ...(flags !== undefined ? { flags } : {}),
  };
}
