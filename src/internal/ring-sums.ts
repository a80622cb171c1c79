/**
 * Exact sums over a full ring buffer, taken oldest first, for the outlier kernels. Their running
 * sums (updated by adding the new value and subtracting the old) only pick the bars worth a
 * closer look: a running sum keeps a rounding residue of the values that left the window, so a
 * window that is flat (every value equal) can show a tiny positive spread. A bar is flagged only
 * when these exact sums confirm it. Never exported from the package.
 */

/** 2⁻³²: the share of `size × magnitude` that {@link driftBound} allows. */
const DRIFT = 2 ** -32;

/**
 * Sum of a full ring's values, oldest first.
 *
 * @param ring - The window; every slot holds a value.
 * @param start - The slot of the oldest value (the ring's next write).
 */
export function ringSum(ring: Float64Array, start: number): number {
  let sum = 0;
  for (let k = start; k < ring.length; k++) sum += ring[k]!;
  for (let k = 0; k < start; k++) sum += ring[k]!;
  return sum;
}

/**
 * Sum of the squared deviations of a full ring's values from `mean`, oldest first (the
 * numerator of the variance).
 *
 * @param ring - The window; every slot holds a value.
 * @param start - The slot of the oldest value.
 * @param mean - The window's mean, from {@link ringSum}.
 */
export function ringSquaredDeviations(ring: Float64Array, start: number, mean: number): number {
  let m2 = 0;
  for (let k = start; k < ring.length; k++) {
    const d = ring[k]! - mean;
    m2 += d * d;
  }
  for (let k = 0; k < start; k++) {
    const d = ring[k]! - mean;
    m2 += d * d;
  }
  return m2;
}

/**
 * A bound on how far a running sum over `size` values can have drifted from the exact sum
 * since it was last recomputed, when no value added or removed since exceeded `magnitude` (a
 * value for a sum, a squared value for a sum of squares). About 2 × 10⁻¹⁰ of
 * `size × magnitude`: a million times the worst rounding of the `size` updates in between.
 *
 * @example
 * ```ts
 * driftBound(20, 0.05 ** 2) // ≈ 1.2e-11: a running m2 below this may be a flat window
 * ```
 */
export function driftBound(size: number, magnitude: number): number {
  return size * magnitude * DRIFT;
}

/**
 * Whether a value may lie more than `k` sample standard deviations from a window's mean, judged
 * on running sums: `d² · (n − 1) > k² · m2`, loosened by how far the running `m2` and the running
 * mean behind `d` can have drifted (see {@link driftBound}). False means the exact window
 * certainly does not flag it; true means it must be judged on the exact sums.
 *
 * @param d - The value minus the running mean.
 * @param k2 - The limit in standard deviations, squared.
 * @param m2 - The running sum of squared deviations (n − 1 times the variance).
 * @param n - The window's length.
 * @param scale - The largest magnitude among the value and the window's values since the sums were last exact.
 */
export function mayExceedSpread(d: number, k2: number, m2: number, n: number, scale: number): boolean {
  const drift = driftBound(n, scale * scale);
  const lhs = d * d * (n - 1);
  // The running mean is within scale · 2⁻³² of the exact one, so d² · (n − 1) is within 4 · drift.
  return lhs + lhs * DRIFT + 4 * drift > k2 * (m2 - drift);
}
