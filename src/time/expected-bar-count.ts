import { bucketEnd } from './bucket-end.js';
import { bucketStart } from './bucket-start.js';
import { FIXED_WIDTH_MS, type Timeframe } from './timeframe.js';

/**
 * How many bars of `tf` open in `[start, end)`: the number of bucket starts `t` with
 * `start <= t < end`. Zero when `end <= start` or either bound is not finite.
 *
 * @param start - Epoch milliseconds, inclusive.
 * @param end - Epoch milliseconds, exclusive.
 *
 * @example
 * ```ts
 * expectedBarCount(Date.UTC(2025, 0, 30), Date.UTC(2025, 0, 31), '1m') // 1440
 * expectedBarCount(Date.UTC(2024, 0, 1), Date.UTC(2025, 0, 1), '1M')   // 12
 * ```
 */
export function expectedBarCount(start: number, end: number, tf: Timeframe): number {
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) return 0;
  const first = bucketStart(start, tf) === start ? start : bucketEnd(start, tf);
  if (first >= end) return 0;
  if (tf !== '1M') return Math.ceil((end - first) / FIXED_WIDTH_MS[tf]);
  let count = 0;
  for (let t = first; t < end; t = bucketEnd(t, tf)) count++;
  return count;
}
