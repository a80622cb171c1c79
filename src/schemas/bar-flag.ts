/**
 * Provenance of a bar the library made up or changed. Real bars carry no flag.
 *
 * - `interpolated`: inserted into a small gap by linear interpolation;
 * - `forward_filled`: inserted into a medium gap, O = H = L = C = previous close;
 * - `clipped`: a real bar whose prices were clipped as an outlier.
 */
export const BarFlag = {
  Interpolated: 'interpolated',
  ForwardFilled: 'forward_filled',
  Clipped: 'clipped',
} as const;

/** One of the values of {@link BarFlag}. */
export type BarFlag = (typeof BarFlag)[keyof typeof BarFlag];

/**
 * Codes of {@link BarFlag} in the `flags` column of `OhlcvColumns`: 0 is a real,
 * unchanged bar.
 */
export const BarFlagCode = {
  None: 0,
  Interpolated: 1,
  ForwardFilled: 2,
  Clipped: 3,
} as const;

/** One of the values of {@link BarFlagCode}. */
export type BarFlagCode = (typeof BarFlagCode)[keyof typeof BarFlagCode];

/** Flag names by code; index 0 (a real bar) is `undefined`. */
export const BAR_FLAG_BY_CODE: readonly (BarFlag | undefined)[] = [undefined, BarFlag.Interpolated, BarFlag.ForwardFilled, BarFlag.Clipped];

/**
 * The column code of a flag (0 for none).
 *
 * @example
 * ```ts
 * barFlagCode('forward_filled') // 2
 * barFlagCode(undefined)        // 0
 * ```
 */
export function barFlagCode(flag: BarFlag | undefined): BarFlagCode {
  switch (flag) {
    case BarFlag.Interpolated:
      return BarFlagCode.Interpolated;
    case BarFlag.ForwardFilled:
      return BarFlagCode.ForwardFilled;
    case BarFlag.Clipped:
      return BarFlagCode.Clipped;
    default:
      return BarFlagCode.None;
  }
}
