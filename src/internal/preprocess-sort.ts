/** The stable time-order permutation used by `sortByTime` and `preprocess`. Never exported. */

/**
 * The permutation that sorts `ts` ascending, stable, with non-finite timestamps last
 * (in input order); `null` when `ts` is already ascending (non-decreasing).
 */
export function sortOrder(ts: ArrayLike<number>): Int32Array | null {
  const n = ts.length;
  let sorted = true;
  for (let i = 1; i < n; i++) {
    if (!((ts[i] as number) >= (ts[i - 1] as number))) {
      sorted = false;
      break;
    }
  }
  if (sorted && (n === 0 || Number.isFinite(ts[0]))) return null;
  const key = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = ts[i] as number;
    key[i] = Number.isFinite(t) || t === Number.NEGATIVE_INFINITY ? t : Number.POSITIVE_INFINITY;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => (key[a] as number) - (key[b] as number) || a - b);
  return Int32Array.from(order);
}
