import type { DataIssue } from '../errors/result.js';
import { checkCalendar, checkTimeframe, gridOf } from '../internal/gap-options.js';
import { timestampsOf } from '../internal/columns.js';
import { scanGaps } from '../internal/gap-scan.js';
import type { OhlcvSeries } from '../schemas/ohlcv-columns.js';
import type { Timeframe } from '../time/timeframe.js';

/**
 * Whether the market is open at a bar's open time (epoch ms, UTC). A slot on the timeframe
 * grid where it returns `false` is a closed period (weekend, maintenance break, holiday): no
 * bar is expected there, so a missing bar there is not a gap. Must be pure.
 *
 * @example
 * ```ts
 * // CME FX futures, winter: closed Friday 22:00 → Sunday 23:00 UTC and daily 22:00–23:00 UTC.
 * const cme: MarketCalendar = (t) => {
 *   const d = new Date(t), day = d.getUTCDay(), hour = d.getUTCHours();
 *   if (day === 6 || (day === 5 && hour >= 22) || (day === 0 && hour < 23)) return false;
 *   return hour !== 22;
 * };
 * ```
 */
export type MarketCalendar = (timestamp: number) => boolean;

/**
 * One run of consecutive missing bars on the timeframe grid, between two real bars.
 * Invariants: `start < end`; `missingBars >= 1`; `before < after`; every slot in
 * `[start, end)` is open (by the calendar) and has no bar.
 */
export interface Gap {
  /** Open time of the first missing bar (epoch ms, UTC). */
  readonly start: number;
  /**
   * End of the run, exclusive (epoch ms): the open time of the bar after the gap, or the
   * start of the closed period that interrupts the run.
   */
  readonly end: number;
  /** Number of missing bars (open slots of the grid) in `[start, end)`. */
  readonly missingBars: number;
  /** Index in the input of the last bar before the gap. */
  readonly before: number;
  /** Index in the input of the first bar after the gap (after any closed period too). */
  readonly after: number;
}

/**
 * A timestamp problem that stops gaps from being judged: gap detection reports it and
 * does not guess.
 *
 * - `timestamp_not_ascending`: the bar is earlier than the one before it. When any bar is,
 *   no gap is reported at all (sort first, see `sortByTime`).
 * - `timestamp_duplicate`: the bar repeats the previous timestamp (dedupe first). The slot
 *   counts as present.
 * - `timestamp_unaligned` / `timestamp_not_finite`: the bar is not on the timeframe grid.
 *   It is not snapped to a slot, and the stretch between the aligned bars around it is not
 *   judged (no gap is reported there).
 */
export interface GapIssue extends DataIssue {
  /** What is wrong. */
  readonly code: 'timestamp_not_ascending' | 'timestamp_duplicate' | 'timestamp_unaligned' | 'timestamp_not_finite';
  /** `[index, 'timestamp']`. */
  readonly path: readonly [number, 'timestamp'];
  /** Index of the offending bar in the input. */
  readonly index: number;
  /** Its timestamp, as given. */
  readonly timestamp: number;
}

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
  const grid = gridOf(checkTimeframe(timeframe));
  const calendar = checkCalendar(options.calendar);
  return scanGaps(timestampsOf(bars), grid, calendar);
}
