import { resolveGapStrategies } from '../internal/options.js';
import type { GapStrategies } from '../schemas/config.js';

/**
 * Size classes of a gap (DESIGN.md §6):
 * - `small`: 1 to `smallMaxBars` missing bars, interpolated linearly;
 * - `medium`: up to `mediumMaxBars`, forward-filled and notified;
 * - `large`: more, marked missing, excluded from features and escalated.
 */
export const GapSize = {
  Small: 'small',
  Medium: 'medium',
  Large: 'large',
} as const;

/** One of the values of {@link GapSize}. */
export type GapSize = (typeof GapSize)[keyof typeof GapSize];

/** The class of `missingBars` under already-resolved strategies (no validation). @internal */
export function sizeOf(missingBars: number, strategies: GapStrategies): GapSize {
  if (missingBars <= strategies.smallMaxBars) return GapSize.Small;
  if (missingBars <= strategies.mediumMaxBars) return GapSize.Medium;
  return GapSize.Large;
}

/**
 * The size class of a gap of `missingBars` missing bars.
 *
 * @param missingBars - Missing bars in the gap (at least 1 for a real gap).
 * @param strategies - Size limits; any subset of `GapStrategies`, merged over
 *   `DEFAULT_GAP_STRATEGIES` (`smallMaxBars` 3, `mediumMaxBars` 10).
 * @returns `'small'` up to `smallMaxBars`, `'medium'` up to `mediumMaxBars`, else `'large'`.
 * @throws {@link ConfigError} when the strategies are invalid (negative, not integers, or
 *   `mediumMaxBars < smallMaxBars`).
 *
 * @example
 * ```ts
 * classifyGap(3)                       // 'small'
 * classifyGap(4)                       // 'medium'
 * classifyGap(11)                      // 'large'
 * classifyGap(3, { smallMaxBars: 2 })  // 'medium'
 * ```
 */
export function classifyGap(missingBars: number, strategies?: Partial<GapStrategies>): GapSize {
  return sizeOf(missingBars, resolveGapStrategies(strategies));
}
