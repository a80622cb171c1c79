/**
 * The batch aggregation kernel: one pass over a clean series per target, buckets found by a
 * galloping search, every reduction (OHLC, volumes, flags, counts, traded) in the same loop.
 * One file because it is the hot kernel of `aggregateOhlcv`: the bucket loop and the
 * reductions it inlines share their locals, and splitting them costs a call per bucket.
 * Never exported from the package.
 */
import type { OhlcvColumns } from '../../schemas/ohlcv-columns.js';
import { BarFlagCode } from '../../schemas/bar-flag.js';
import { bucketEnd } from '../../time/bucket-end.js';
import { bucketStart } from '../../time/bucket-start.js';
import { DAY_MS, FIXED_WIDTH_MS, type Timeframe } from '../../time/timeframe.js';
import type { MutableColumns } from '../../internal/columns.js';
import { gcd, type SourceGrid } from './sanitize-series.js';
import { lowerBound } from '../../internal/search.js';
import { gridOf } from '../../time/timeframe-grid.js';
import { EXTREME_HIGH, EXTREME_LOW, EXTREME_VOLUME, tradedExtremes } from './traded-extremes.js';

/** Buckets of one target built from a clean (strictly increasing) input. */
export interface BucketedColumns {
  /** The buckets, every one kept; a `count` column (source bars, or the sum of input counts) when asked for. */
  readonly columns: MutableColumns;
  /** Per bucket, 1 when at least one of its bars traded; present when asked for. */
  readonly traded: Uint8Array | undefined;
}

/** What {@link reduceToBuckets} builds. */
export interface ReduceSpec {
  /** The timeframe of the buckets. */
  readonly target: Timeframe;
  /** Exchange-exact open, high and low (see {@link reduceToBuckets}). */
  readonly exact: boolean;
  /**
   * A guess of the step between consecutive input timestamps in ms (the input's step GCD, or
   * the width of the buckets it was built from): with it, a gap-free bucket's end is found
   * with two reads. Any value is correct (0 or a wrong one only costs a search per bucket).
   */
  readonly stepHint: number;
  /** Build the `count` column. */
  readonly count: boolean;
  /** Return the per-bucket traded marks (needed to build a larger target from these buckets). */
  readonly traded: boolean;
  /** Build the `synthetic` column (synthetic source bars per bucket, in the units of `count`). */
  readonly provenance: boolean;
}

/**
 * Groups a strictly increasing input into the buckets of `spec.target` in one pass over its
 * rows: each bucket's last row is found from the bucket's end and `spec.stepHint` (two
 * timestamp reads for a bucket without gaps, a binary search otherwise), so only high, low
 * and volume are read per row; open, close and count cost O(1) per bucket. A bar traded when
 * `tradedIn[i] === 1` if given (buckets of a previous level), otherwise when its volume is
 * above zero and it is not synthetic (`interpolated`, `forward_filled`). Traded and other bars
 * keep separate high / low, so with `exact` a bucket's open, high and low come from its traded
 * bars when there are some without a second pass (its open is the first traded bar's, found by
 * skipping the leading bars that did not trade); its close is the last bar's close, skipping
 * synthetic bars when it has a real one. Optional columns and flags, when present, are reduced
 * over the same row ranges afterwards.
 */
export function reduceToBuckets(input: OhlcvColumns, tradedIn: Uint8Array | undefined, spec: ReduceSpec): BucketedColumns {
  return build(input, tradedIn, spec, undefined) as BucketedColumns;
}

/** The buckets of a checked pass and what the check found. */
export interface CheckedBuckets {
  /** The buckets, as {@link reduceToBuckets} builds them. */
  readonly buckets: BucketedColumns;
  /** Greatest common divisor of the steps between the input's timestamps in ms. */
  readonly stepGcd: number;
}

/**
 * {@link reduceToBuckets} for a raw input that checks, in the same pass, what `sanitizeSeries`
 * checks first otherwise: finite, strictly increasing timestamps (on `grid` when given), and
 * their step GCD. Returns `undefined` when the input is not clean (or has flags, or fewer than
 * two bars), and the caller falls back to `sanitizeSeries` and {@link reduceToBuckets}; for a
 * clean input it returns the same buckets and the same GCD as that route.
 */
export function reduceCheckedToBuckets(input: OhlcvColumns, grid: SourceGrid | undefined, spec: ReduceSpec): CheckedBuckets | undefined {
  const n = input.length;
  const ts = input.timestamp;
  if (n < 2 || input.flags !== undefined) return undefined;
  const firstTs = ts[0] as number;
  const lastTs = ts[n - 1] as number;
  // Strictly increasing with finite ends: every timestamp is finite. A last bar that is not
  // after the first cannot be clean, and would size the output from a negative span.
  if (!Number.isFinite(firstTs) || !Number.isFinite(lastTs) || !((ts[1] as number) > firstTs) || !(lastTs > firstTs)) return undefined;
  if (grid !== undefined && (firstTs - grid.originMs) % grid.widthMs !== 0) return undefined;
  const gcdOut = new Float64Array(1);
  // The first step is the best guess of every step (`spec.stepHint` is not used).
  const buckets = build(input, undefined, { ...spec, stepHint: (ts[1] as number) - firstTs }, gcdOut);
  const stepGcd = gcdOut[0] as number;
  if (buckets === undefined || (grid !== undefined && stepGcd % grid.widthMs !== 0)) return undefined;
  return { buckets, stepGcd };
}

/** Allocates the output, runs {@link fillBuckets} and assembles the columns; `undefined` when the check failed. */
function build(
  input: OhlcvColumns,
  tradedIn: Uint8Array | undefined,
  spec: ReduceSpec,
  gcdOut: Float64Array | undefined,
): BucketedColumns | undefined {
  const n = input.length;
  const ts = input.timestamp;
  const fixed = spec.target !== '1M';
  const span = n === 0 ? 0 : (ts[n - 1] as number) - (ts[0] as number);
  const cap = n === 0 ? 0 : Math.min(n, Math.floor(span / (fixed ? FIXED_WIDTH_MS[spec.target] : 28 * DAY_MS)) + 2);
  const provenanceIn = spec.provenance && (input.flags !== undefined || input.synthetic !== undefined);
  const ranged =
    input.quoteVolume !== undefined ||
    input.trades !== undefined ||
    input.takerBuyVolume !== undefined ||
    input.flags !== undefined ||
    provenanceIn;
  // One allocation for every output column (the columns are views into it). Seven separate
  // 1.6 MB columns (1M 1m bars → 5m) went back to the system when freed and were paged in
  // again on every call, ~2,700 page faults that cost more than the pass itself; one large
  // block is kept by the allocator and reused.
  const block = new Float64Array((spec.count ? 7 : 6) * cap);
  const column = (k: number): Float64Array => block.subarray(k * cap, (k + 1) * cap);
  const out: OhlcvArrays = [column(0), column(1), column(2), column(3), column(4), column(5)];
  const count = spec.count ? column(6) : undefined;
  const traded = spec.traded ? new Uint8Array(cap) : undefined;
  const rowStart = ranged ? new Int32Array(cap + 1) : undefined;
  const source: OhlcvArrays = [ts, input.open, input.high, input.low, input.close, input.volume];
  const m = fillBuckets(
    spec.target,
    spec.exact,
    spec.stepHint,
    n,
    source,
    input.count,
    tradedIn,
    input.flags,
    out,
    count,
    traded,
    rowStart,
    gcdOut,
  );
  if (m < 0) return undefined;

  // Bucket ends were found, not counted in advance: trim the arrays sized for the span (a view
  // when little is unused, a copy when gaps left most of it empty).
  const fit = <A extends Float64Array | Uint8Array>(array: A): A =>
    (m === cap ? array : 2 * m >= cap ? array.subarray(0, m) : array.slice(0, m)) as A;
  const columns: MutableColumns = {
    length: m,
    timestamp: fit(out[0]),
    open: fit(out[1]),
    high: fit(out[2]),
    low: fit(out[3]),
    close: fit(out[4]),
    volume: fit(out[5]),
  };
  if (rowStart !== undefined) {
    rowStart[m] = n;
    if (input.quoteVolume !== undefined) columns.quoteVolume = sumRanges(input.quoteVolume, rowStart, m);
    if (input.trades !== undefined) columns.trades = sumRanges(input.trades, rowStart, m);
    if (input.takerBuyVolume !== undefined) columns.takerBuyVolume = sumRanges(input.takerBuyVolume, rowStart, m);
    if (input.flags !== undefined) columns.flags = combineFlags(input.flags, input.volume, tradedIn, rowStart, m);
    if (provenanceIn) columns.synthetic = sumSynthetic(input, rowStart, m);
  }
  // Without flags or a synthetic column, no source bar was synthetic.
  if (spec.provenance && columns.synthetic === undefined) columns.synthetic = new Float64Array(m);
  if (count !== undefined) columns.count = fit(count);
  return { columns, traded: traded === undefined ? undefined : fit(traded) };
}

/** Buckets of at most this many bars are not started from their last bar: on 5-bar buckets it measured slower. */
const SEED_FROM_LAST_MIN_BARS = 8;

/**
 * Buckets of fewer bars are always scanned with branches: {@link tradedExtremes} works on four
 * rows at a time (1m → 5m measured 6 % faster with it, 1m → 1H 20 %).
 */
const BRANCH_FREE_MIN_BARS = 4;

/** Timestamp, open, high, low, close and volume arrays, in that order. */
type OhlcvArrays = readonly [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];

/**
 * The pass of {@link reduceToBuckets} over `n` rows of `source` into `out` (and `count`,
 * `traded`, `rowStart` when given), sized for the most buckets the input can span; returns the
 * number of buckets. With `gcdOut` (only for an input without traded marks and flags, whose
 * first two timestamps increase), it also checks that every timestamp is above the one before
 * and writes their step GCD to `gcdOut[0]`, or stops and returns -1.
 *
 * It takes only arrays and primitives and leaves the assembly to its caller: optimised code
 * that depended on the shape of short-lived objects (options, columns built by a previous
 * level), or that reached code after the loop without type feedback, was thrown away on
 * almost every call, and the loop ran in the interpreter until V8 recompiled it.
 */
function fillBuckets(
  target: Timeframe,
  exact: boolean,
  stepGuess: number,
  n: number,
  source: OhlcvArrays,
  inCount: Float64Array | undefined,
  tradedIn: Uint8Array | undefined,
  flags: Uint8Array | undefined,
  out: OhlcvArrays,
  count: Float64Array | undefined,
  traded: Uint8Array | undefined,
  rowStart: Int32Array | undefined,
  gcdOut: Float64Array | undefined,
): number {
  const fixed = target !== '1M';
  const { width, origin } = gridOf(target);
  const stepHint = stepGuess > 0 ? stepGuess : Number.POSITIVE_INFINITY;
  const [ts, inOpen, inHigh, inLow, inClose, inVolume] = source;
  const [start, open, high, low, close, volume] = out;
  const simple = tradedIn === undefined && flags === undefined;

  const check = gcdOut !== undefined;
  // The check's state: the previous timestamp, the last distinct step and the GCD so far. With
  // lastStep = 0 row 0 (step 0) is skipped; rows 0 and 1 were checked by the caller.
  let previous = ts[0] as number;
  let lastStep = 0;
  let g = 0;
  let m = 0;
  let a = 0;
  const extremes = new Float64Array(3);
  while (a < n) {
    // More buckets than a sorted input can span: the input is not sorted (only when checking).
    if (m === start.length) return -1;
    // bucketStart and bucketEnd, inlined for the fixed widths.
    const opening = ts[a] as number;
    const s = fixed ? Math.floor((opening - origin) / width) * width + origin : bucketStart(opening, target);
    const end = fixed ? s + width : bucketEnd(s, target);
    const b = bucketLimit(ts, n, a, end, stepHint);
    // High and low of the traded bars (t…) and of the others (z…), and the volume, in one pass.
    let th = Number.NEGATIVE_INFINITY;
    let tl = Number.POSITIVE_INFINITY;
    let zh = Number.NEGATIVE_INFINITY;
    let zl = Number.POSITIVE_INFINITY;
    // The bucket's last bar is looked at first (the pass sees it again; max and min do not
    // mind): a price walk's extremes lie near the ends of a window more often than inside it,
    // so starting from one end halves the bars that set a new high or low, each a mispredicted
    // branch that costs more than reading the bar (1m → 1H on the bench data: 0.30 of the bars
    // from ±Infinity, 0.15 from the last bar).
    if (b - a > SEED_FROM_LAST_MIN_BARS) {
      const lastHigh = inHigh[b - 1] as number;
      const lastLow = inLow[b - 1] as number;
      if (isTraded(b - 1, inVolume[b - 1] as number, tradedIn, flags)) {
        if (lastHigh > th) th = lastHigh;
        if (lastLow < tl) tl = lastLow;
      } else {
        if (lastHigh > zh) zh = lastHigh;
        if (lastLow < zl) zl = lastLow;
      }
    }
    let v = 0;
    let tradedBars = 0;
    // A bucket of plain exchange data whose bars all traded, with its timestamps one step
    // apart when checking, is scanned without a branch on its prices; any other bucket (and
    // one that fails its conditions) by one of the three loops below: the same loop on
    // purpose, with the timestamp check fused in (first pass), for plain data, and for
    // flagged bars. Folding them costs a branch or a call per bar.
    if (
      simple &&
      b - a >= BRANCH_FREE_MIN_BARS &&
      tradedExtremes(ts, inHigh, inLow, inVolume, a, b, check ? lastStep : Number.NaN, previous, extremes)
    ) {
      th = extremes[EXTREME_HIGH] as number;
      tl = extremes[EXTREME_LOW] as number;
      v = extremes[EXTREME_VOLUME] as number;
      tradedBars = b - a;
      previous = ts[b - 1] as number;
    } else if (check) {
      for (let i = a; i < b; i++) {
        const t = ts[i] as number;
        const step = t - previous;
        previous = t;
        if (step !== lastStep) {
          if (!(step > 0)) return -1;
          lastStep = step;
          g = g === 0 ? step : gcd(g, step);
        }
        const bh = inHigh[i] as number;
        const bl = inLow[i] as number;
        const bv = inVolume[i] as number;
        v += bv;
        if (bv > 0) {
          if (bh > th) th = bh;
          if (bl < tl) tl = bl;
          tradedBars++;
        } else {
          if (bh > zh) zh = bh;
          if (bl < zl) zl = bl;
        }
      }
    } else if (simple) {
      for (let i = a; i < b; i++) {
        const bh = inHigh[i] as number;
        const bl = inLow[i] as number;
        const bv = inVolume[i] as number;
        v += bv;
        if (bv > 0) {
          if (bh > th) th = bh;
          if (bl < tl) tl = bl;
          tradedBars++;
        } else {
          if (bh > zh) zh = bh;
          if (bl < zl) zl = bl;
        }
      }
    } else {
      for (let i = a; i < b; i++) {
        const bh = inHigh[i] as number;
        const bl = inLow[i] as number;
        const bv = inVolume[i] as number;
        v += bv;
        if (isTraded(i, bv, tradedIn, flags)) {
          if (bh > th) th = bh;
          if (bl < tl) tl = bl;
          tradedBars++;
        } else {
          if (bh > zh) zh = bh;
          if (bl < zl) zl = bl;
        }
      }
    }
    let first = a;
    if (exact && tradedBars > 0) {
      // Open, high and low come from the traded bars only.
      if (tradedBars < b - a) while (!isTraded(first, inVolume[first] as number, tradedIn, flags)) first++;
      high[m] = th;
      low[m] = tl;
    } else {
      high[m] = zh > th ? zh : th;
      low[m] = zl < tl ? zl : tl;
    }
    // A synthetic bar made up by gap filling does not set the close either when the bucket has a
    // real bar: an interpolated close may lie outside the traded range. (A zero-volume filler
    // bar of an exchange is real and closes at the previous close, so its close counts in order.)
    let last = b - 1;
    if (exact && flags !== undefined) {
      while (last > a && isSyntheticAt(flags, last)) last--;
      if (isSyntheticAt(flags, last)) last = b - 1;
    }
    start[m] = s;
    open[m] = inOpen[first] as number;
    close[m] = inClose[last] as number;
    volume[m] = v;
    if (count !== undefined) {
      if (inCount === undefined) count[m] = b - a;
      else {
        let c = 0;
        for (let i = a; i < b; i++) c += inCount[i] as number;
        count[m] = c;
      }
    }
    if (traded !== undefined) traded[m] = tradedBars > 0 ? 1 : 0;
    if (rowStart !== undefined) rowStart[m] = a;
    m++;
    a = b;
  }
  if (gcdOut !== undefined) gcdOut[0] = g;
  return m;
}

/**
 * The first index in `(a, n]` whose timestamp is at or after `end` (`n` when none is), for a
 * strictly increasing `ts` with `ts[a] < end`. The guess `a + ceil((end - ts[a]) / stepHint)`
 * is exact for a bucket without gaps (checked with two reads); otherwise a gallop forward
 * (the guess fell short) or a binary search back (a gap) finds it.
 */
function bucketLimit(ts: Float64Array, n: number, a: number, end: number, stepHint: number): number {
  let lo = a;
  let hi = a + 1;
  const guess = a + Math.ceil((end - (ts[a] as number)) / stepHint);
  if (guess > hi) hi = guess;
  if (hi >= n) hi = n;
  else if ((ts[hi] as number) < end) {
    let jump = 1;
    do {
      lo = hi;
      jump *= 2;
      hi = lo + jump;
    } while (hi < n && (ts[hi] as number) < end);
    if (hi > n) hi = n;
  }
  // Here ts[lo] < end, and hi === n or ts[hi] >= end.
  if (hi - 1 > lo && (ts[hi - 1] as number) < end) return hi;
  return lowerBound(ts, end, lo + 1, hi);
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

/**
 * Synthetic source bars per bucket, in the units of `count`: a bar's own `synthetic` (an
 * aggregated input), or its `count` (1 without one) when it is flagged `interpolated` or
 * `forward_filled`, whichever is larger.
 */
function sumSynthetic(input: OhlcvColumns, rowStart: Int32Array, m: number): Float64Array {
  const out = new Float64Array(m);
  const { flags, synthetic, count } = input;
  for (let j = 0; j < m; j++) {
    const b = rowStart[j + 1] as number;
    let sum = 0;
    for (let i = rowStart[j] as number; i < b; i++) {
      const own = synthetic === undefined ? 0 : (synthetic[i] as number);
      const flagged = flags !== undefined && isSyntheticAt(flags, i) ? (count === undefined ? 1 : (count[i] as number)) : 0;
      sum += own > flagged ? own : flagged;
    }
    out[j] = sum;
  }
  return out;
}

function combineFlags(
  flags: Uint8Array,
  volume: Float64Array,
  tradedIn: Uint8Array | undefined,
  rowStart: Int32Array,
  m: number,
): Uint8Array {
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
