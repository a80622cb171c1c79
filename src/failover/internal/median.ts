/** Scratch space for {@link failoverMedian}'s sort (latency windows are short: 20 by default). */
const scratch = new Float64Array(64);

/**
 * Median of `values` (not mutated); `null` when empty. Sorts a copy in a reused buffer, so the
 * feed's health can be read every cycle for every symbol without allocating.
 */
export function failoverMedian(values: readonly number[]): number | null {
  const n = values.length;
  if (n === 0) return null;
  let sorted = scratch;
  if (n > sorted.length) {
    // A long window (a custom latencyWindow): a numeric sort of a copy.
    sorted = Float64Array.from(values).sort();
  } else {
    insertionSort(values, sorted);
  }
  const mid = n >> 1;
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Sorts `values` into the first `values.length` slots of `out`: the fastest for a few dozen values, and it allocates nothing. */
function insertionSort(values: readonly number[], out: Float64Array): void {
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const x = values[i] as number;
    let j = i;
    while (j > 0 && (out[j - 1] as number) > x) {
      out[j] = out[j - 1] as number;
      j--;
    }
    out[j] = x;
  }
}
