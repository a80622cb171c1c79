import type { MutableColumns } from '../../internal/columns.js';
import type { OhlcvColumns } from '../../schemas/ohlcv-columns.js';

/**
 * Bars `from … to` of the kernel's buckets as a columns object: views (`subarray`), never
 * copies, and the columns themselves when the range is all of them. `count` is kept only when
 * `withCount`, `synthetic` and `missing` only when `withProvenance`. Never exported from the package.
 */
export function sliceColumns(columns: MutableColumns, from: number, to: number, withCount: boolean, withProvenance: boolean): OhlcvColumns {
  const cut = (a: Float64Array): Float64Array => (from === 0 && to === a.length ? a : a.subarray(from, to));
  const out: MutableColumns = {
    length: to - from,
    timestamp: cut(columns.timestamp),
    open: cut(columns.open),
    high: cut(columns.high),
    low: cut(columns.low),
    close: cut(columns.close),
    volume: cut(columns.volume),
  };
  if (columns.quoteVolume !== undefined) out.quoteVolume = cut(columns.quoteVolume);
  if (columns.trades !== undefined) out.trades = cut(columns.trades);
  if (columns.takerBuyVolume !== undefined) out.takerBuyVolume = cut(columns.takerBuyVolume);
  if (columns.flags !== undefined) out.flags = from === 0 && to === columns.flags.length ? columns.flags : columns.flags.subarray(from, to);
  if (withCount && columns.count !== undefined) out.count = cut(columns.count);
  if (withProvenance && columns.synthetic !== undefined) out.synthetic = cut(columns.synthetic);
  if (withProvenance && columns.missing !== undefined) out.missing = cut(columns.missing);
  return out;
}

/** An empty columns object (no optional columns). */
export const EMPTY_COLUMNS: OhlcvColumns = {
  length: 0,
  timestamp: new Float64Array(0),
  open: new Float64Array(0),
  high: new Float64Array(0),
  low: new Float64Array(0),
  close: new Float64Array(0),
  volume: new Float64Array(0),
};
