/** The prices of one period (usually the previous UTC day) that floor pivots are built from. */
export interface PivotInput {
  /** Highest price of the period (quote currency). */
  readonly high: number;
  /** Lowest price of the period (quote currency). */
  readonly low: number;
  /** Last close of the period (quote currency). */
  readonly close: number;
}

/**
 * Classic floor-trader pivot levels, in the quote currency. For a consistent input
 * (`low <= high`): `s3 <= s2 <= s1 <= pivot <= r1 <= r2 <= r3` whenever the close lies in
 * `[low, high]`.
 */
export interface FloorPivots {
  /** P = (H + L + C) / 3. */
  readonly pivot: number;
  /** R1 = 2P − L. */
  readonly r1: number;
  /** S1 = 2P − H. */
  readonly s1: number;
  /** R2 = P + (H − L). */
  readonly r2: number;
  /** S2 = P − (H − L). */
  readonly s2: number;
  /** R3 = H + 2(P − L). */
  readonly r3: number;
  /** S3 = L − 2(H − P). */
  readonly s3: number;
}

/**
 * Classic floor pivots of a period, to be used as the next period's key levels (pass the
 * previous UTC day's high, low and close for daily pivots).
 *
 * @param period - High, low and close of the period.
 * @returns The levels, or `null` when a price is not finite or `high < low` (a bar that cannot
 * be right yields no levels rather than wrong ones).
 *
 * @example
 * ```ts
 * floorPivots({ high: 45300, low: 44600, close: 44950 })
 * // { pivot: 44950, r1: 45300, s1: 44600, r2: 45650, s2: 44250, r3: 46000, s3: 43900 }
 * ```
 */
export function floorPivots(period: PivotInput): FloorPivots | null {
  // Bad data is an answer, never a throw: anything but an object has no pivots.
  if (typeof period !== 'object' || period === null) return null;
  const { high, low, close } = period;
  if (!Number.isFinite(high) || !Number.isFinite(low) || !Number.isFinite(close) || high < low) return null;
  const pivot = (high + low + close) / 3;
  const range = high - low;
  return {
    pivot,
    r1: 2 * pivot - low,
    s1: 2 * pivot - high,
    r2: pivot + range,
    s2: pivot - range,
    r3: high + 2 * (pivot - low),
    s3: low - 2 * (high - pivot),
  };
}
