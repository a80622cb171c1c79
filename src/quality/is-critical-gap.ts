import { requireTimeframe } from '../internal/options.js';
import { DEFAULT_COMPLETENESS, type CompletenessConfig } from '../schemas/config.js';
import type { Timeframe } from '../time/timeframe.js';

/**
 * The specification's critical-gap rule: a run of missing bars is critical when its timeframe
 * is one of `criticalTimeframes` (1m and 5m) and it is longer than `criticalGapBars` (more
 * than 3 bars: "zero tolerance for gaps > 3 bars"). The one copy of the rule, used by
 * `checkCompleteness` and by the pipeline's gap reports.
 *
 * @param timeframe - The gap's timeframe. ccxt spellings are accepted.
 * @param missingBars - Consecutive missing bars in the gap (a count of bars, not ms).
 * @param config - A resolved completeness configuration (only its two critical fields are read; not validated
 *   here); {@link DEFAULT_COMPLETENESS} when omitted.
 * @returns Whether the gap is critical.
 * @throws {@link ConfigError} for an unknown timeframe.
 *
 * @example
 * ```ts
 * isCriticalGap('1m', 4) // true (more than 3 bars on 1m)
 * isCriticalGap('5m', 3) // false (3 is not more than 3)
 * isCriticalGap('1H', 10) // false (1H is not a critical timeframe)
 * ```
 */
export function isCriticalGap(
  timeframe: Timeframe,
  missingBars: number,
  config: Pick<CompletenessConfig, 'criticalGapBars' | 'criticalTimeframes'> = DEFAULT_COMPLETENESS,
): boolean {
  const tf = requireTimeframe(timeframe, ['timeframe']);
  return missingBars > config.criticalGapBars && config.criticalTimeframes.includes(tf);
}
