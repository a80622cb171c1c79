import type { OhlcvColumns } from '../schemas/ohlcv-columns.js';
import { BarFlagCode } from '../schemas/bar-flag.js';
import { bucketEnd } from '../time/bucket-end.js';
import { bucketStart } from '../time/bucket-start.js';
import { DAY_MS, FIXED_WIDTH_MS, type Timeframe } from '../time/timeframe.js';
import type { MutableColumns } from './aggregate-columns.js';

/** Buckets of one target built from a clean (strictly increasing) input. */
export interface BucketedColumns {
  /** The buckets, every one kept, with a `count` column (source bars, or the sum of input counts). */
  readonly columns: MutableColumns;
  /** Per bucket, 1 when at least one of its bars traded; present when `traded` was given. */
  readonly traded: Uint8Array | undefined;
}

/**
 * Whether each bar traded: volume above zero and not a synthetic (interpolated or
 * forward-filled) bar. Such bars are the only ones that set a bucket's open, high and low
 * in exchange-exact mode.
 */
export function tradedRows(input: OhlcvColumns): Uint8Array {
  const n = input.length;
  const out = new Uint8Array(n);
  const volume = input.volume;
  const flags = input.flags;
  if (flags === undefined) {
    for (let i = 0; i < n; i++) out[i] = (volume[i] as number) > 0 ? 1 : 0;
  } else {
    for (let i = 0; i < n; i++) {
      const flag = flags[i] as number;
      out[i] = (volume[i] as number) > 0 && flag !== BarFlagCode.Interpolated && flag !== BarFlagCode.ForwardFilled ? 1 : 0;
    }
  }
  return out;
}

/**
 * Groups a strictly increasing input into the buckets of `target` in one pass over the
 * timestamps, then reduces each column over the bucket ranges. Bucket boundaries are computed
 * only when a timestamp crosses the current bucket's end (so `1M` calls date-fns once per
 * month, not per row). With `exact`, a bucket's open, high and low come from its traded
 * bars when it has any (exchange-exact); its close is always the last bar's close. `traded`
 * (see {@link tradedRows}) is required with `exact` or when the input has flags.
 */
export function reduceToBuckets(input: OhlcvColumns, traded: Uint8Array | undefined, exact: boolean, target: Timeframe): BucketedColumns {
  const n = input.length;
  const ts = input.timestamp;
  const fixed = target !== '1M';
  const width = fixed ? FIXED_WIDTH_MS[target] : 0;
  const span = n === 0 ? 0 : (ts[n - 1] as number) - (ts[0] as number);
  const cap = Math.min(n, Math.floor(span / (fixed ? width : 28 * DAY_MS)) + 2);
  const rowStart = new Int32Array(cap + 1);
  const start = new Float64Array(cap);
  let m = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const t = ts[i] as number;
    if (t >= end) {
      const s = bucketStart(t, target);
      start[m] = s;
      rowStart[m] = i;
      m++;
      end = fixed ? s + width : bucketEnd(s, target);
    }
  }
  rowStart[m] = n;

  const open = new Float64Array(m);
  const high = new Float64Array(m);
  const low = new Float64Array(m);
  const close = new Float64Array(m);
  const inOpen = input.open;
  const inHigh = input.high;
  const inLow = input.low;
  const inClose = input.close;
  const bucketTraded = exact && traded !== undefined ? new Uint8Array(m) : undefined;
  for (let j = 0; j < m; j++) {
    const a = rowStart[j] as number;
    const b = rowStart[j + 1] as number;
    close[j] = inClose[b - 1] as number;
    let hi = Number.NEGATIVE_INFINITY;
    let lo = Number.POSITIVE_INFINITY;
    let first = -1;
    if (exact && traded !== undefined) {
      for (let i = a; i < b; i++) {
        if (traded[i] === 1) {
          if (first < 0) first = i;
          const h = inHigh[i] as number;
          const l = inLow[i] as number;
          if (h > hi) hi = h;
          if (l < lo) lo = l;
        }
      }
    }
    if (first >= 0) {
      (bucketTraded as Uint8Array)[j] = 1;
    } else {
      first = a;
      for (let i = a; i < b; i++) {
        const h = inHigh[i] as number;
        const l = inLow[i] as number;
        if (h > hi) hi = h;
        if (l < lo) lo = l;
      }
    }
    open[j] = inOpen[first] as number;
    high[j] = hi;
    low[j] = lo;
  }

  const count = input.count === undefined ? rangeLengths(rowStart, m) : sumRanges(input.count, rowStart, m);
  const columns: MutableColumns = {
    length: m,
    timestamp: start.length === m ? start : start.slice(0, m),
    open,
    high,
    low,
    close,
    volume: sumRanges(input.volume, rowStart, m),
    count,
  };
  if (input.quoteVolume !== undefined) columns.quoteVolume = sumRanges(input.quoteVolume, rowStart, m);
  if (input.trades !== undefined) columns.trades = sumRanges(input.trades, rowStart, m);
  if (input.takerBuyVolume !== undefined) columns.takerBuyVolume = sumRanges(input.takerBuyVolume, rowStart, m);
  if (input.flags !== undefined && traded !== undefined) columns.flags = combineFlags(input.flags, traded, rowStart, m);
  return { columns, traded: bucketTraded ?? (traded === undefined ? undefined : anyInRanges(traded, rowStart, m)) };
}

function sumRanges(src: Float64Array, rowStart: Int32Array, m: number): Float64Array {
  const out = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const b = rowStart[j + 1] as number;
    let sum = 0;
    for (let i = rowStart[j] as number; i < b; i++) sum += src[i] as number;
    out[j] = sum;
  }
  return out;
}

function rangeLengths(rowStart: Int32Array, m: number): Float64Array {
  const out = new Float64Array(m);
  for (let j = 0; j < m; j++) out[j] = (rowStart[j + 1] as number) - (rowStart[j] as number);
  return out;
}

function anyInRanges(bits: Uint8Array, rowStart: Int32Array, m: number): Uint8Array {
  const out = new Uint8Array(m);
  for (let j = 0; j < m; j++) {
    const b = rowStart[j + 1] as number;
    for (let i = rowStart[j] as number; i < b; i++) {
      if (bits[i] === 1) {
        out[j] = 1;
        break;
      }
    }
  }
  return out;
}

function combineFlags(flags: Uint8Array, traded: Uint8Array, rowStart: Int32Array, m: number): Uint8Array {
  const out = new Uint8Array(m);
  for (let j = 0; j < m; j++) {
    const b = rowStart[j + 1] as number;
    let all = 0;
    let ofTraded = 0;
    for (let i = rowStart[j] as number; i < b; i++) {
      const bit = 1 << (flags[i] as number);
      all |= bit;
      if (traded[i] === 1) ofTraded |= bit;
    }
    out[j] = combinedFlag(all, ofTraded);
  }
  return out;
}

/**
 * The flag of an aggregated bar from the bit sets (bit = 1 << code) of the flags of all its bars
 * and of its traded bars. A bucket with a traded bar is real: `clipped` if one of its traded
 * bars was clipped, otherwise none. A bucket without one takes the most synthetic flag among
 * its bars: `forward_filled`, else `interpolated`, else `clipped`, else none. This rule
 * composes: aggregating 1m → 5m → 15m gives the flags (and traded buckets) of 1m → 15m.
 */
export function combinedFlag(all: number, ofTraded: number): number {
  if (ofTraded !== 0) return (ofTraded & (1 << BarFlagCode.Clipped)) !== 0 ? BarFlagCode.Clipped : BarFlagCode.None;
  if ((all & (1 << BarFlagCode.ForwardFilled)) !== 0) return BarFlagCode.ForwardFilled;
  if ((all & (1 << BarFlagCode.Interpolated)) !== 0) return BarFlagCode.Interpolated;
  return (all & (1 << BarFlagCode.Clipped)) !== 0 ? BarFlagCode.Clipped : BarFlagCode.None;
}
