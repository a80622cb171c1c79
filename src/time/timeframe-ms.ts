import { FIXED_WIDTH_MS, type FixedTimeframe } from './timeframe.js';

/**
 * Width of a fixed timeframe in milliseconds. `1M` has no fixed width: use
 * `bucketStart`/`bucketEnd` for calendar months.
 *
 * @example
 * ```ts
 * timeframeMs('5m') // 300000
 * timeframeMs('1W') // 604800000
 * ```
 */
export function timeframeMs(tf: FixedTimeframe): number {
  return FIXED_WIDTH_MS[tf];
}
