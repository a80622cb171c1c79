/**
 * The branch-free scan of one bucket for `reduceToBuckets`: its high, low and volume when
 * every bar in it traded. Never exported from the package.
 */

/** Slots of the `out` array of {@link tradedExtremes}. */
export const EXTREME_HIGH = 0;
export const EXTREME_LOW = 1;
export const EXTREME_VOLUME = 2;

/**
 * The highest high, the lowest low and the volume sum of rows `[a, b)` (at least one row), with
 * no branch that depends on the prices, written to `out` ({@link EXTREME_HIGH},
 * {@link EXTREME_LOW}, {@link EXTREME_VOLUME}); returns `false`, leaving the bucket to the
 * branching scan, unless every row traded (volume above zero), the prices are positive and
 * finite, and the bucket's high is at most 1.5× its low. With `step` a number (not NaN), it also
 * checks that each timestamp is `step` ms after the one before (`previous` for row `a`), and
 * returns `false` otherwise.
 *
 * Why: the branching scan (`if (x > high) high = x`) mispredicts on every new high or low, about
 * nine times in an hour of a price walk, and that cost more than the rest of the pass for 15m to
 * 4H buckets. Here a running high `h` takes `x` as `h + pos(x − h)` with `pos(d) = (d + |d|) / 2`,
 * which is exact when `x ≤ 2h`: for `h < x ≤ 2h`, `x − h` is exact (Sterbenz's lemma), so `h +
 * (x − h)` rounds to `x` itself; for `x ≤ h`, `pos` is 0. Every running high starts at the last
 * row's high, above the bucket's lowest low, so a bucket whose high is at most twice its low never
 * rounds (the low's update is the mirror image). The check after the pass uses 1.5 instead of 2:
 * had any update rounded, its value is within a few ulps of a price above twice the low, and
 * fails 1.5 by far; NaN and infinities fail it too. Four running highs and lows over interleaved
 * rows keep the dependency chains short; the volume is summed in row order, as the branching scan
 * does, so its rounding is the same.
 */
export function tradedExtremes(
  ts: Float64Array,
  high: Float64Array,
  low: Float64Array,
  volume: Float64Array,
  a: number,
  b: number,
  step: number,
  previous: number,
  out: Float64Array,
): boolean {
  const checked = !Number.isNaN(step);
  let t = previous;
  let h0 = high[b - 1] as number;
  let l0 = low[b - 1] as number;
  let h1 = h0;
  let h2 = h0;
  let h3 = h0;
  let l1 = l0;
  let l2 = l0;
  let l3 = l0;
  let v = 0;
  let d = 0;
  let i = a;
  for (; i + 4 <= b; i += 4) {
    const v0 = volume[i] as number;
    const v1 = volume[i + 1] as number;
    const v2 = volume[i + 2] as number;
    const v3 = volume[i + 3] as number;
    if (!(v0 > 0 && v1 > 0 && v2 > 0 && v3 > 0)) return false;
    if (checked) {
      const t0 = ts[i] as number;
      const t1 = ts[i + 1] as number;
      const t2 = ts[i + 2] as number;
      const t3 = ts[i + 3] as number;
      if (t0 - t !== step || t1 - t0 !== step || t2 - t1 !== step || t3 - t2 !== step) return false;
      t = t3;
    }
    v += v0;
    v += v1;
    v += v2;
    v += v3;
    d = (high[i] as number) - h0;
    h0 += (d + Math.abs(d)) * 0.5;
    d = (high[i + 1] as number) - h1;
    h1 += (d + Math.abs(d)) * 0.5;
    d = (high[i + 2] as number) - h2;
    h2 += (d + Math.abs(d)) * 0.5;
    d = (high[i + 3] as number) - h3;
    h3 += (d + Math.abs(d)) * 0.5;
    d = l0 - (low[i] as number);
    l0 -= (d + Math.abs(d)) * 0.5;
    d = l1 - (low[i + 1] as number);
    l1 -= (d + Math.abs(d)) * 0.5;
    d = l2 - (low[i + 2] as number);
    l2 -= (d + Math.abs(d)) * 0.5;
    d = l3 - (low[i + 3] as number);
    l3 -= (d + Math.abs(d)) * 0.5;
  }
  for (; i < b; i++) {
    const v0 = volume[i] as number;
    if (!(v0 > 0)) return false;
    if (checked) {
      const t0 = ts[i] as number;
      if (t0 - t !== step) return false;
      t = t0;
    }
    v += v0;
    d = (high[i] as number) - h0;
    h0 += (d + Math.abs(d)) * 0.5;
    d = l0 - (low[i] as number);
    l0 -= (d + Math.abs(d)) * 0.5;
  }
  // The four running highs (and lows) into one, by the same exact update.
  d = h1 - h0;
  h0 += (d + Math.abs(d)) * 0.5;
  d = h3 - h2;
  h2 += (d + Math.abs(d)) * 0.5;
  d = h2 - h0;
  h0 += (d + Math.abs(d)) * 0.5;
  d = l0 - l1;
  l0 -= (d + Math.abs(d)) * 0.5;
  d = l2 - l3;
  l2 -= (d + Math.abs(d)) * 0.5;
  d = l0 - l2;
  l0 -= (d + Math.abs(d)) * 0.5;
  if (!(l0 > 0 && h0 <= 1.5 * l0)) return false;
  out[EXTREME_HIGH] = h0;
  out[EXTREME_LOW] = l0;
  out[EXTREME_VOLUME] = v;
  return true;
}
