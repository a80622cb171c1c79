import { ConfigError } from '../errors/config-error.js';
import { describeOption, requireTimeframe } from '../internal/options.js';
import { DEFAULT_RETENTION, type Retention } from '../schemas/config.js';
import { bucketStart } from '../time/bucket-start.js';
import type { Timeframe } from '../time/timeframe.js';

/**
 * The open time of the oldest bar of timeframe `tf` to keep at `now`: the start of the bar
 * that contains `now − retention[tf]`, so a bar partly inside the retention period is kept.
 * Bars with an earlier open time are past retention.
 *
 * @param tf - The series' timeframe.
 * @param now - Current time, epoch ms.
 * @param retention - Retention per timeframe in ms (`null` or absent: unlimited); the
 *   specification's table by default (1m 90 d, 5m 180 d, 15m 365 d, 1H 730 d, 4H and 1D unlimited).
 * @returns Epoch ms, or `undefined` when `tf` is kept forever.
 * @throws {@link ConfigError} when `tf` is not a timeframe (any spelling `parseTimeframe` accepts),
 *   or its retention is not a positive, finite number of ms.
 *
 * @example
 * ```ts
 * retentionCutoff('1m', Date.UTC(2025, 3, 30, 10, 30, 30)) // Date.UTC(2025, 0, 30, 10, 30) (90 days earlier)
 * retentionCutoff('1D', Date.UTC(2025, 3, 30))             // undefined (unlimited)
 * ```
 */
export function retentionCutoff(tf: Timeframe, now: number, retention: Retention = DEFAULT_RETENTION): number | undefined {
  const canonical = requireTimeframe(tf, ['tf']);
  if (typeof now !== 'number') {
    throw new ConfigError(`Expected \`now\` to be epoch milliseconds, got \`${describeOption(now)}\``, { path: ['now'], value: now });
  }
  const keepMs = retention[canonical];
  if (keepMs === undefined || keepMs === null) return undefined;
  if (!(typeof keepMs === 'number' && keepMs > 0 && Number.isFinite(keepMs))) {
    throw new ConfigError(`Expected \`retention.${canonical}\` to be a positive number of ms or null, got \`${String(keepMs)}\``, {
      path: ['retention', canonical],
      value: keepMs,
    });
  }
  return bucketStart(now - keepMs, canonical);
}
