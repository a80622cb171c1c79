/**
 * Binary search over ascending numbers, shared by the kernels. Never exported from the package.
 */

/**
 * The first index `i` in `[lo, hi)` with `values[i] >= x`, or `hi` when there is none.
 * Invariant: `values[lo … hi)` is ascending (NaN-free); O(log(hi − lo)).
 *
 * @example
 * ```ts
 * lowerBound([10, 20, 20, 30], 20) // 1
 * lowerBound([10, 20, 20, 30], 31) // 4
 * ```
 */
export function lowerBound(values: ArrayLike<number>, x: number, lo = 0, hi: number = values.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The first index `i` in `[lo, hi)` where `before(i)` is false, for a predicate that is true on
 * a prefix of the range and false after it (the general form of {@link lowerBound}, for values
 * reached through an index or a field). O(log(hi − lo)) calls of `before`.
 */
export function partitionPoint(lo: number, hi: number, before: (i: number) => boolean): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
