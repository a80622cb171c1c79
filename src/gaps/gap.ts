/**
 * The shapes of gap handling shared by `detectGaps`, `fillGaps`, their kernels and `preprocess`:
 * a leaf file (it imports no gap code), so the public files and the kernels never import each
 * other in a circle.
 */
import type { DataIssue } from '../errors/result.js';
import type { GapSize } from './classify-gap.js';

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
   * End of the run, **exclusive** (epoch ms): the open time of the bar after the gap, or the
   * start of the closed period that interrupts the run. `MissingRun` and `EscalationGap` end
   * inclusive (the last missing bar); `lastMissingOpen` in `gaps/` is the one conversion.
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

/**
 * What {@link fillGaps} did with a gap:
 * - `interpolated`: small gap, bars inserted by linear interpolation (flag `interpolated`);
 * - `forward_filled`: medium gap, bars inserted at the previous close (flag `forward_filled`);
 * - `marked_missing`: no bars inserted (a large gap, or a gap bordering a closed calendar period).
 */
export const GapResolution = {
  Interpolated: 'interpolated',
  ForwardFilled: 'forward_filled',
  MarkedMissing: 'marked_missing',
} as const;

/** One of the values of {@link GapResolution}. */
export type GapResolution = (typeof GapResolution)[keyof typeof GapResolution];

/** The trace {@link fillGaps} leaves for one gap. */
export interface GapReport {
  /** The gap, with `before`/`after` indices into the input of `fillGaps`. */
  readonly gap: Gap;
  /** Its size class under the strategies used. */
  readonly size: GapSize;
  /** What was done. */
  readonly resolution: GapResolution;
  /** Missing bars in the gap (same as `gap.missingBars`). */
  readonly missingBars: number;
  /** Bars inserted: `missingBars` when interpolated or forward-filled, else 0. */
  readonly filledBars: number;
  /** Whether to notify (the specification's rule for medium gaps). */
  readonly notify: boolean;
  /**
   * Whether to escalate (the specification's rule for large gaps, which are marked missing
   * and excluded from features).
   */
  readonly escalate: boolean;
  /**
   * Whether the gap borders a closed calendar period rather than a real bar on one side.
   * Such a gap is `marked_missing` whatever its size: filling it would carry a price
   * across the closed period.
   */
  readonly sessionEdge: boolean;
}
