/** The stable time-order permutation shared by `preprocess/` and `quality/`. Never exported. */

/**
 * The permutation that sorts the first `length` timestamps ascending, stable (ties keep their
 * input order), with `NaN` last and `±Infinity` where they compare; `undefined` when they are
 * already in that order (one pass, no allocation).
 */
export function timeOrder(timestamp: ArrayLike<number>, length: number): Int32Array | undefined {
  let sorted = true;
  let prev = -Infinity;
  for (let i = 0; i < length; i++) {
    const t = timestamp[i] as number;
    if (!(t >= prev) && !Number.isNaN(t)) {
      sorted = false;
      break;
    }
    if (Number.isNaN(t)) {
      // A NaN followed by a timestamp that is not NaN is out of order (NaN sorts last).
      for (let j = i + 1; j < length; j++) {
        if (!Number.isNaN(timestamp[j])) {
          sorted = false;
          break;
        }
      }
      break;
    }
    prev = t;
  }
  if (sorted) return undefined;
  // NaN sorts after every number, +Infinity included: a flag first, then the time (0 for NaN).
  const key = new Float64Array(length);
  const nan = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const t = timestamp[i] as number;
    if (Number.isNaN(t)) nan[i] = 1;
    else key[i] = t;
  }
  const order = new Int32Array(length);
  for (let i = 0; i < length; i++) order[i] = i;
  // Equal infinities subtract to NaN, which is falsy: ties fall through to the input order.
  order.sort((a, b) => (nan[a] as number) - (nan[b] as number) || (key[a] as number) - (key[b] as number) || a - b);
  return order;
}
