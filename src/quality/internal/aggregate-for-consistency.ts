/**
 * A minimal OHLCV aggregation for `checkConsistency` (a source's higher-timeframe bars
 * against those built from its base timeframe), until `aggregate/` owns it. Never exported
 * from the package.
 */
import type { OhlcvColumns } from '../../schemas/ohlcv-columns.js';
import { bucketEnd } from '../../time/bucket-end.js';
import { FIRST_MONDAY_MS, bucketStart } from '../../time/bucket-start.js';
import { FIXED_WIDTH_MS, type Timeframe } from '../../time/timeframe.js';
import { timeOrder } from '../../internal/time-order.js';

/** Buckets built from base bars; only buckets the base series covers completely. */
export interface AggregatedBuckets {
  readonly length: number;
  readonly timestamp: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

function startOf(t: number, tf: Timeframe): number {
  if (tf === '1M') return bucketStart(t, tf);
  const width = FIXED_WIDTH_MS[tf];
  const origin = tf === '1W' ? FIRST_MONDAY_MS : 0;
  return Math.floor((t - origin) / width) * width + origin;
}

/**
 * Aggregates `base` (any order; duplicates after the first and bars with a non-finite field
 * are dropped, and a bucket holding a dropped bar is not kept) into buckets of `tf`: first
 * open, highest high, lowest low, last close, summed volume. A bar with zero volume adds no
 * price to a bucket that has traded bars (exchanges such as Binance build candles from
 * trades, so their zero-volume filler minutes carry the previous close). A bucket is kept only
 * when the base series covers it completely: it starts at or after the first base bar and ends
 * at or before the close of the last.
 */
export function aggregateForConsistency(base: OhlcvColumns, baseTf: Timeframe, tf: Timeframe): AggregatedBuckets {
  const n = base.length;
  const order = timeOrder(base.timestamp, n);
  const at = (k: number): number => (order === undefined ? k : order[k]!);
  const out = {
    timestamp: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  let firstT = Number.NaN;
  let lastT = Number.NaN;
  for (let k = 0; k < n; k++) {
    const t = base.timestamp[at(k)]!;
    if (Number.isFinite(t)) {
      if (Number.isNaN(firstT)) firstT = t;
      lastT = t;
    }
  }
  if (Number.isNaN(firstT)) return { length: 0, ...out };
  const coverEnd = baseTf === '1M' ? bucketEnd(lastT, baseTf) : lastT + FIXED_WIDTH_MS[baseTf];
  let count = 0;
  let bucket = Number.NaN;
  let broken = false;
  let traded = false;
  let o = 0;
  let h = 0;
  let l = 0;
  let c = 0;
  let v = 0;
  let prevT = Number.NaN;
  const flush = (): void => {
    if (Number.isNaN(bucket) || broken || bucket < firstT || bucketEnd(bucket, tf) > coverEnd) return;
    out.timestamp[count] = bucket;
    out.open[count] = o;
    out.high[count] = h;
    out.low[count] = l;
    out.close[count] = c;
    out.volume[count] = v;
    count++;
  };
  for (let k = 0; k < n; k++) {
    const i = at(k);
    const t = base.timestamp[i]!;
    if (!Number.isFinite(t) || t === prevT) continue;
    prevT = t;
    const b = startOf(t, tf);
    if (b !== bucket) {
      flush();
      bucket = b;
      broken = false;
      traded = false;
      o = Number.NaN;
      v = 0;
    }
    const bo = base.open[i]!;
    const bh = base.high[i]!;
    const bl = base.low[i]!;
    const bc = base.close[i]!;
    const bv = base.volume[i]!;
    if (!(Number.isFinite(bo) && Number.isFinite(bh) && Number.isFinite(bl) && Number.isFinite(bc) && Number.isFinite(bv))) {
      broken = true;
      continue;
    }
    v += bv;
    if (bv > 0 && !traded) {
      // The first traded bar replaces whatever zero-volume fillers set.
      traded = true;
      o = bo;
      h = bh;
      l = bl;
    } else if (bv > 0 || !traded) {
      if (Number.isNaN(o)) {
        o = bo;
        h = bh;
        l = bl;
      } else {
        if (bh > h) h = bh;
        if (bl < l) l = bl;
      }
    }
    if (bv > 0 || !traded) c = bc;
  }
  flush();
  return {
    length: count,
    timestamp: out.timestamp.subarray(0, count),
    open: out.open.subarray(0, count),
    high: out.high.subarray(0, count),
    low: out.low.subarray(0, count),
    close: out.close.subarray(0, count),
    volume: out.volume.subarray(0, count),
  };
}
