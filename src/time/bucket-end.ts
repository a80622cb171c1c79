import { addMonths } from 'date-fns/addMonths';
import { UTCDateMini } from '@date-fns/utc/date/mini';
import { bucketStart } from './bucket-start.js';
import { FIXED_WIDTH_MS, type Timeframe } from './timeframe.js';

/**
 * End (exclusive) of the bucket of timeframe `tf` that contains `timestamp`: the start of
 * the next bucket. A bar opened at `bucketStart(t, tf)` has closed at `bucketEnd(t, tf)`.
 *
 * @param timestamp - Epoch milliseconds, UTC.
 * @returns Epoch milliseconds; `bucketStart(t) <= t < bucketEnd(t)`.
 *
 * @example
 * ```ts
 * bucketEnd(Date.UTC(2024, 1, 10), '1M') // Date.UTC(2024, 2, 1) (leap February included)
 * ```
 */
export function bucketEnd(timestamp: number, tf: Timeframe): number {
  const start = bucketStart(timestamp, tf);
  if (tf === '1M') return addMonths(new UTCDateMini(start), 1).getTime();
  return start + FIXED_WIDTH_MS[tf];
}
