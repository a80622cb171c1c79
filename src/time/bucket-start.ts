import { startOfMonth } from 'date-fns/startOfMonth';
import { UTCDateMini } from '@date-fns/utc/date/mini';
import { DAY_MS, FIXED_WIDTH_MS, type Timeframe } from './timeframe.js';

/** 1970-01-05T00:00:00Z, the first Monday after the epoch (a Thursday). @internal */
export const FIRST_MONDAY_MS = 4 * DAY_MS;

/**
 * Start (open time) of the bucket of timeframe `tf` that contains `timestamp`.
 * Buckets are left-closed: `[start, end)`. Fixed widths are aligned to the Unix epoch, so
 * every width that divides a day starts at UTC midnight; `1W` starts on Monday 00:00 UTC;
 * `1M` starts on the 1st of the month 00:00 UTC. This is what Binance, pandas
 * (`origin='epoch'`, closed/label left) and polars do.
 *
 * @param timestamp - Epoch milliseconds, UTC.
 * @param tf - The bucket's timeframe.
 * @returns Epoch milliseconds of the bucket's start; `start <= timestamp`.
 *
 * @example
 * ```ts
 * bucketStart(Date.UTC(2025, 0, 30, 10, 29, 59), '5m') // Date.UTC(2025, 0, 30, 10, 25)
 * bucketStart(Date.UTC(2025, 0, 30), '1W')             // Date.UTC(2025, 0, 27) (a Monday)
 * ```
 */
export function bucketStart(timestamp: number, tf: Timeframe): number {
  if (tf === '1M') return startOfMonth(new UTCDateMini(timestamp)).getTime();
  const width = FIXED_WIDTH_MS[tf];
  const origin = tf === '1W' ? FIRST_MONDAY_MS : 0;
  return Math.floor((timestamp - origin) / width) * width + origin;
}
