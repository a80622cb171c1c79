import { gridOf } from '../time/timeframe-grid.js';
import type { Timeframe } from '../time/timeframe.js';

/**
 * The one conversion between the two ends a run of missing bars is given by. A `Gap`
 * (`detectGaps`, `fillGaps`) ends **exclusive**: `end` is the open time of the first slot after
 * the run (the next real bar, or the start of a closed period). A `MissingRun`
 * (`checkCompleteness`) and an `EscalationGap` (`evaluateEscalation`) end **inclusive**:
 * `endTimestamp` is the open time of the last missing bar. This turns the first into the
 * second: the grid slot of `tf` before `end` (for `1M`, the start of the previous month).
 *
 * Not exported from the package; `checkCompleteness` and the pipeline build their inclusive
 * ends with it, so no other code subtracts a bar width from an exclusive end.
 *
 * @param end - Exclusive end of the run, a grid point of `tf` (epoch ms).
 * @param tf - The series' timeframe.
 * @returns The open time of the run's last missing bar (epoch ms).
 *
 * @example
 * ```ts
 * lastMissingOpen(Date.UTC(2025, 0, 1, 0, 5), '1m') // Date.UTC(2025, 0, 1, 0, 4)
 * lastMissingOpen(Date.UTC(2025, 2, 1), '1M')       // Date.UTC(2025, 1, 1)
 * ```
 */
export function lastMissingOpen(end: number, tf: Timeframe): number {
  return gridOf(tf).previous(end);
}
