import type { OhlcvColumns } from '../schemas/ohlcv-columns.js';
import { BarFlagCode } from '../schemas/bar-flag.js';
import { bucketEnd } from '../time/bucket-end.js';
import { bucketStart } from '../time/bucket-start.js';
import { DAY_MS, FIXED_WIDTH_MS, type Timeframe } from '../time/timeframe.js';
import type { MutableColumns } from './columns.js';

/** Buckets of one target built from a clean (strictly increasing) input. */
export interface BucketedColumns {
  /** The buckets, every one kept, with a `count` column (source bars, or the sum of input counts). */
  readonly columns: MutableColumns;
  /** Per bucket, 1 when at least one of its bars traded. */
  readonly traded: Uint8Array;
}

/**
 * Groups a strictly increasing input into the buckets of `target`: one pass over the timestamps
 * finds the bucket boundaries (recomputed only when a timestamp crosses the current bucket's
 * end, so `1M` calls date-fns once per month, not per row), then one pass over each bucket's
 * rows computes open, high, low, close, volume and whether it traded. A bar traded when
 * `tradedIn[i] === 1` if given (buckets of a previous level), otherwise when its volume is above
 * zero and it is not synthetic (`interpolated`, `forward_filled`). With `exact`, a bucket's
 * open, high and low come from its traded bars when there are some; its close is the last bar's
 * close, skipping synthetic (interpolated, forward-filled) bars when it has a real one. Optional columns and flags are reduced over the same row ranges.
 */
export function reduceToBuckets(input: OhlcvColumns, tradedIn: Uint8Array | undefined, exact: boolean, target: Timeframe): BucketedColumns {
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
  const volume = new Float64Array(m);
  const traded = new Uint8Array(m);
  const inOpen = input.open;
  const inHigh = input.high;
  const inLow = input.low;
  const inClose = input.close;
  const inVolume = input.volume;
  const flags = input.flags;
  const simple = tradedIn === undefined && flags === undefined;
  for (let j = 0; j < m; j++) {
    const a = rowStart[j] as number;
    const b = rowStart[j + 1] as number;
    let h = Number.NEGATIVE_INFINITY;
    let l = Number.POSITIVE_INFINITY;
    let v = 0;
    let tradedBars = 0;
    // Pass over the bucket: plain high / low / volume and the number of traded bars.
    if (simple) {
      for (let i = a; i < b; i++) {
        const bh = inHigh[i] as number;
        const bl = inLow[i] as number;
        const bv = inVolume[i] as number;
        if (bh > h) h = bh;
        if (bl < l) l = bl;
        v += bv;
        if (bv > 0) tradedBars++;
      }
    } else {
      for (let i = a; i < b; i++) {
        const bh = inHigh[i] as number;
        const bl = inLow[i] as number;
        const bv = inVolume[i] as number;
        if (bh > h) h = bh;
        if (bl < l) l = bl;
        v += bv;
        if (isTraded(i, bv, tradedIn, flags)) tradedBars++;
      }
    }
    let first = a;
    if (exact && tradedBars > 0 && tradedBars < b - a) {
      // Some bars did not trade: open, high and low come from the traded ones only.
      first = -1;
      h = Number.NEGATIVE_INFINITY;
      l = Number.POSITIVE_INFINITY;
      for (let i = a; i < b; i++) {
        if (!isTraded(i, inVolume[i] as number, tradedIn, flags)) continue;
        if (first < 0) first = i;
        const bh = inHigh[i] as number;
        const bl = inLow[i] as number;
        if (bh > h) h = bh;
        if (bl < l) l = bl;
      }
    }
    // A synthetic bar made up by gap filling does not set the close either when the bucket has a
    // real bar: an interpolated close may lie outside the traded range. (A zero-volume filler
    // bar of an exchange is real and closes at the previous close, so its close counts in order.)
    let last = b - 1;
    if (exact && flags !== undefined) {
      while (last > a && isSyntheticAt(flags, last)) last--;
      if (isSyntheticAt(flags, last)) last = b - 1;
    }
    open[j] = inOpen[first] as number;
    high[j] = h;
    low[j] = l;
    close[j] = inClose[last] as number;
    volume[j] = v;
    traded[j] = tradedBars > 0 ? 1 : 0;
  }

  const count = input.count === undefined ? rangeLengths(rowStart, m) : sumRanges(input.count, rowStart, m);
  const columns: MutableColumns = {
    length: m,
    timestamp: start.length === m ? start : start.slice(0, m),
    open,
    high,
    low,
    close,
    volume,
    count,
  };
  if (input.quoteVolume !== undefined) columns.quoteVolume = sumRanges(input.quoteVolume, rowStart, m);
  if (input.trades !== undefined) columns.trades = sumRanges(input.trades, rowStart, m);
  if (input.takerBuyVolume !== undefined) columns.takerBuyVolume = sumRanges(input.takerBuyVolume, rowStart, m);
  if (flags !== undefined) columns.flags = combineFlags(flags, inVolume, tradedIn, rowStart, m);
  return { columns, traded };
}

function isSyntheticAt(flags: Uint8Array, i: number): boolean {
  const f = flags[i] as number;
  return f === BarFlagCode.Interpolated || f === BarFlagCode.ForwardFilled;
}

function isTraded(i: number, volume: number, tradedIn: Uint8Array | undefined, flags: Uint8Array | undefined): boolean {
  if (tradedIn !== undefined) return tradedIn[i] === 1;
  if (!(volume > 0)) return false;
  if (flags === undefined) return true;
  const f = flags[i] as number;
  return f !== BarFlagCode.Interpolated && f !== BarFlagCode.ForwardFilled;
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

function combineFlags(flags: Uint8Array, volume: Float64Array, tradedIn: Uint8Array | undefined, rowStart: Int32Array, m: number): Uint8Array {
  const out = new Uint8Array(m);
  for (let j = 0; j < m; j++) {
    const b = rowStart[j + 1] as number;
    let all = 0;
    let ofTraded = 0;
    for (let i = rowStart[j] as number; i < b; i++) {
      const f = flags[i] as number;
      const bit = 1 << f;
      all |= bit;
      if (isTraded(i, volume[i] as number, tradedIn, flags)) ofTraded |= bit;
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
  // A bucket with any real bar (a zero-volume one included) is real: it is synthetic only when
  // every bar in it was made up. This composes with the close rule above.
  const real = all & ((1 << BarFlagCode.None) | (1 << BarFlagCode.Clipped));
  if (real !== 0) return (real & (1 << BarFlagCode.Clipped)) !== 0 ? BarFlagCode.Clipped : BarFlagCode.None;
  if ((all & (1 << BarFlagCode.ForwardFilled)) !== 0) return BarFlagCode.ForwardFilled;
  if ((all & (1 << BarFlagCode.Interpolated)) !== 0) return BarFlagCode.Interpolated;
  return (all & (1 << BarFlagCode.Clipped)) !== 0 ? BarFlagCode.Clipped : BarFlagCode.None;
}
