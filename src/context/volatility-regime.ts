import { ConfigError } from '../errors/config-error.js';
import { VolatilityRegime } from '../schemas/market-context-schema.js';

/**
 * Percentile bounds between the volatility regimes, in **percent** (0–100), with
 * `0 <= low < high < extreme <= 100`.
 */
export interface VolatilityThresholds {
  /** At or below this percentile the regime is `low`. */
  readonly low: number;
  /** At or above this percentile (and below `extreme`) the regime is `high`. */
  readonly high: number;
  /** At or above this percentile the regime is `extreme`. */
  readonly extreme: number;
}

/**
 * Quartile-based bounds: the bottom quarter of the lookback is `low`, the middle half
 * `normal`, the top quarter `high`, and the top 5 % `extreme`.
 *
 * @defaultValue `{ low: 25, high: 75, extreme: 95 }`
 */
export const DEFAULT_VOLATILITY_THRESHOLDS: VolatilityThresholds = { low: 25, high: 75, extreme: 95 };

/** Where the current ATR sits within its lookback. */
export interface VolatilityRegimeResult {
  /** `low`, `normal`, `high` or `extreme`; see {@link VolatilityThresholds}. */
  readonly regime: VolatilityRegime;
  /**
   * Percentile rank of the current value among the finite history values, in **percent**
   * (0–100): the share of values below it, counting values equal to it as half above and half
   * below (more exactly, the mean rank of its ties — the definition of simple-statistics'
   * `quantileRank`, times 100). 0 below the whole history, 100 above it.
   */
  readonly percentile: number;
  /** How many finite history values it was ranked against. */
  readonly sampleSize: number;
}

function resolveThresholds(thresholds: Partial<VolatilityThresholds> | undefined): VolatilityThresholds {
  const resolved = { ...DEFAULT_VOLATILITY_THRESHOLDS, ...thresholds };
  for (const key of ['low', 'high', 'extreme'] as const) {
    const value: unknown = resolved[key];
    if (typeof value !== 'number' || !(value >= 0 && value <= 100)) {
      throw new ConfigError(`Expected \`${key}\` to be a percentile from 0 to 100, got \`${String(value)}\``, {
        path: [key],
        value,
      });
    }
  }
  if (!(resolved.low < resolved.high && resolved.high < resolved.extreme)) {
    throw new ConfigError(`Expected \`low < high < extreme\`, got \`${resolved.low}\`, \`${resolved.high}\`, \`${resolved.extreme}\``, {
      path: [],
      value: resolved,
    });
  }
  return resolved;
}

/**
 * The volatility regime: the percentile rank of the current ATR within a lookback of ATR
 * values, classified by thresholds.
 *
 * Pass as `atrHistory` exactly the lookback to rank against (for example the 100 ATR values
 * before the current one); whether it includes `current` is the caller's choice. Values that
 * are not finite (an ATR's warm-up `NaN`s) are skipped. One pass, no allocation.
 *
 * @param atrHistory - Past ATR values, any order (price units).
 * @param current - The ATR to classify (price units).
 * @param thresholds - Percentile bounds, merged over {@link DEFAULT_VOLATILITY_THRESHOLDS}.
 * @returns Regime, percentile (percent) and sample size; `null` when `current` is not finite or
 * the history holds no finite value.
 * @throws ConfigError when a threshold is outside 0–100 or they are not increasing.
 *
 * @example
 * ```ts
 * volatilityRegime([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 4.5)
 * // { regime: 'normal', percentile: 40, sampleSize: 10 }
 * volatilityRegime([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 11)
 * // { regime: 'extreme', percentile: 100, sampleSize: 10 }
 * ```
 */
export function volatilityRegime(
  atrHistory: ArrayLike<number>,
  current: number,
  thresholds?: Partial<VolatilityThresholds>,
): VolatilityRegimeResult | null {
  const { low, high, extreme } = resolveThresholds(thresholds);
  if (!Number.isFinite(current)) return null;
  let below = 0;
  let equal = 0;
  let n = 0;
  for (let i = 0; i < atrHistory.length; i++) {
    const value = atrHistory[i];
    if (value === undefined || !Number.isFinite(value)) continue;
    n++;
    if (value < current) below++;
    else if (value === current) equal++;
  }
  if (n === 0) return null;
  // Ties take the mean of ranks below+1 … below+equal (simple-statistics' quantileRank).
  const percentile = ((equal === 0 ? below : below + (equal + 1) / 2) / n) * 100;
  const regime =
    percentile <= low
      ? VolatilityRegime.Low
      : percentile >= extreme
        ? VolatilityRegime.Extreme
        : percentile >= high
          ? VolatilityRegime.High
          : VolatilityRegime.Normal;
  return { regime, percentile, sampleSize: n };
}
