/**
 * Exact sums over a full ring buffer, taken oldest first, for the outlier kernels. A running
 * sum (the new value added, the old one subtracted) keeps a rounding residue of the values that
 * left the window, about 1e-16 of their size: a window that turned flat (every value equal)
 * between two exact re-sums can show a tiny positive spread or mean, and would flag the next
 * ordinary bar. So the kernels' running sums only pick the bars that may pass a limit (with
 * {@link CLOSE_CALL} to spare), and those are judged on these exact sums. Never exported from
 * the package.
 *
 * Limit: a window whose exact spread (or sum) is below about 1e-15 of the squared (or plain)
 * size of the values of its last two laps can be read as flat, and its next bar not judged.
 */

/**
 * 1 + 2⁻²⁰: the factor by which a running comparison is loosened before the exact sums decide,
 * so a bar the exact sums would flag is not lost to the running sums' rounding.
 */
export const CLOSE_CALL = 1 + 2 ** -20;

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
