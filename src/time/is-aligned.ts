import { bucketStart } from './bucket-start.js';
import type { Timeframe } from './timeframe.js';

/**
 * Whether `timestamp` is the open time of a bucket of `tf` (see {@link bucketStart}).
 *
 * @example
 * ```ts
 * isAligned(Date.UTC(2025, 0, 30, 10, 25), '5m')    // true
 * isAligned(Date.UTC(2025, 0, 30, 10, 25, 1), '5m') // false
 * ```
 */
export function isAligned(timestamp: number, tf: Timeframe): boolean {
  return Number.isFinite(timestamp) && bucketStart(timestamp, tf) === timestamp;
}
