import { checkCalendar, requireTimeframe } from '../internal/options.js';
import { readSeries } from '../internal/series-input.js';
import { gridOf } from '../time/timeframe-grid.js';
import { timestampsOf } from '../internal/columns.js';
import { scanGaps } from '../internal/gap-kernels.js';
import type { OhlcvSeries } from '../schemas/ohlcv-columns.js';
import type { Timeframe } from '../time/timeframe.js';
import type { Gap, GapIssue, MarketCalendar } from './gap.js';

/** Options of {@link detectGaps}. */
export interface DetectGapsOptions {
  /**
   * When the market is open; see {@link MarketCalendar}.
   *
   * @defaultValue always open (crypto)
   */
  readonly calendar?: MarketCalendar | undefined;
}

/** What {@link detectGaps} found. */
export interface GapDetection {
  /** Every gap, in time order. Empty when the input is not ascending. */
  readonly gaps: readonly Gap[];
  /** Timestamp problems, in input order; empty for a clean series. */
  readonly issues: readonly GapIssue[];
}

/**
 * Every run of missing bars on the timeframe grid between the first and the last bar.
 * Nothing is reported before the first or after the last bar. With a `calendar`, slots
 * where the market is closed are not missing; a run of missing slots interrupted by a
 * closed period becomes one gap on each side of it (each ending at the closed period or at
 * the next bar).
 *
 * The input should be sorted, unique and aligned. Where it is not, the problem is reported
 * in `issues` rather than guessed around (see {@link GapIssue}).
 *
 * A single pass over the timestamps; a clean series costs one comparison per bar.
 *
 * @param bars - Rows or columns; only `timestamp` is read.
 * @param timeframe - The grid, a canonical timeframe name (`'1m'`, `'5m'`, `'1H'`, …).
 * @param options - See {@link DetectGapsOptions}.
 * @returns The gaps and the timestamp issues.
 * @throws {@link ConfigError} when `timeframe` is not canonical or `calendar` is not a function.
 *
 * @example
 * ```ts
 * const m = 60_000;
 * detectGaps([{ timestamp: 0, ... }, { timestamp: 4 * m, ... }], '1m').gaps
 * // [{ start: 60000, end: 240000, missingBars: 3, before: 0, after: 1 }]
 * ```
 */
export function detectGaps(bars: OhlcvSeries, timeframe: Timeframe, options: DetectGapsOptions = {}): GapDetection {
  const grid = gridOf(requireTimeframe(timeframe, ['timeframe']));
  const calendar = checkCalendar(options.calendar);
  return scanGaps(timestampsOf(readSeries(bars).series), grid, calendar);
}
