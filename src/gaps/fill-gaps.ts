import { breaksAfterLargeGaps, fillColumns, fillRows, planFill } from '../internal/gap-kernels.js';
import { readSeries } from '../internal/series-input.js';
import { checkCalendar, requireTimeframe, resolveGapStrategies } from '../internal/options.js';
import { gridOf } from '../time/timeframe-grid.js';
import { timestampsOf } from '../internal/columns.js';
import type { GapStrategies } from '../schemas/config.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import { isOhlcvColumns, type OhlcvColumns, type OhlcvSeries } from '../schemas/ohlcv-columns.js';
import type { Timeframe } from '../time/timeframe.js';
import type { GapIssue, GapReport, MarketCalendar } from './gap.js';

/** Options of {@link fillGaps}. */
export interface FillGapsOptions {
  /**
   * When the market is open; closed periods are neither gaps nor filled.
   *
   * @defaultValue always open (crypto)
   */
  readonly calendar?: MarketCalendar | undefined;
}

/** The result of {@link fillGaps}. */
export interface FillGapsResult<S extends OhlcvSeries> {
  /**
   * The filled series, of the kind given: rows keep every real row as the same object and
   * add new flagged rows; columns are new arrays with a `flags` column.
   */
  readonly bars: S;
  /** One report per gap, in time order. */
  readonly reports: readonly GapReport[];
  /** Timestamp problems that kept stretches from being judged (see `detectGaps`). */
  readonly issues: readonly GapIssue[];
  /**
   * Indices in `bars` of the first bar after each large gap, ascending: pass them as the
   * `breaks` option of the indicators so nothing is measured across a large gap.
   */
  readonly breaks: readonly number[];
}

/**
 * Fills the gaps of a series by the specification's strategies (DESIGN.md §6):
 *
 * - small (1 to `smallMaxBars`, default 3): linear interpolation. The close moves in equal
 *   steps from the last real close to the next real bar's open (`missingBars + 1` steps);
 *   each bar opens at the previous bar's close; high and low are the max and min of open
 *   and close; volume 0; flag `interpolated`.
 * - medium (up to `mediumMaxBars`, default 10): forward fill, open = high = low = close =
 *   previous close, volume 0, flag `forward_filled`; the report asks to notify.
 * - large: no rows; the report says `marked_missing` and asks to escalate, and `breaks`
 *   tells the indicators to restart after it (excluded from features).
 *
 * Optional volume fields of inserted bars (`quoteVolume`, `trades`, `takerBuyVolume`,
 * `count`) are 0 where the series has them. A real bar is never changed, nothing is
 * inserted before the first or after the last bar, and no gap that borders a closed
 * calendar period is filled. Input with timestamp issues (see `detectGaps`) is filled only
 * where it could be judged.
 *
 * @param bars - Rows or columns, ascending.
 * @param timeframe - The grid, a canonical timeframe name.
 * @param strategies - Any subset of `GapStrategies`, over `DEFAULT_GAP_STRATEGIES`.
 * @param options - See {@link FillGapsOptions}.
 * @returns The filled series (same kind as `bars`), reports, issues and breaks.
 * @throws {@link ConfigError} on an invalid timeframe, strategy or calendar.
 *
 * @example
 * ```ts
 * // 1m bars at 00:00 (close 10) and 00:03 (open 13): two missing bars.
 * fillGaps(bars, '1m').bars.map((b) => [b.open, b.close, b.flag])
 * // [[10, 10, undefined], [10, 11, 'interpolated'], [11, 12, 'interpolated'], [13, 13, undefined]]
 * ```
 */
export function fillGaps<S extends OhlcvSeries>(
  bars: S,
  timeframe: Timeframe,
  strategies?: Partial<GapStrategies>,
  options: FillGapsOptions = {},
): FillGapsResult<S extends OhlcvColumns ? OhlcvColumns : Ohlcv[]> {
  type Out = S extends OhlcvColumns ? OhlcvColumns : Ohlcv[];
  const grid = gridOf(requireTimeframe(timeframe, ['timeframe']));
  const resolved = resolveGapStrategies(strategies);
  const calendar = checkCalendar(options.calendar);
  const series: OhlcvSeries = readSeries(bars).series;
  const plan = planFill(timestampsOf(series), grid, resolved, calendar);
  if (isOhlcvColumns(series)) {
    const { columns } = fillColumns(series, plan, grid.next);
    return {
      bars: columns as Out,
      reports: plan.reports,
      issues: plan.scan.issues,
      breaks: breaksAfterLargeGaps(plan.reports, columns.timestamp),
    };
  }
  const rows = fillRows(series, plan, grid.next);
  return {
    bars: rows as Out,
    reports: plan.reports,
    issues: plan.scan.issues,
    breaks: breaksAfterLargeGaps(plan.reports, timestampsOf(rows)),
  };
}
