/**
 * The canonical timeframe names, shortest first. Minutes are lower-case `m`, hours `H`,
 * days `D`, weeks `W` and months `M` (so `1m` is a minute and `1M` a month).
 */
export const TIMEFRAMES = ['1m', '3m', '5m', '15m', '30m', '1H', '2H', '4H', '6H', '8H', '12H', '1D', '1W', '1M'] as const;

/** A canonical timeframe name; see {@link TIMEFRAMES}. Parse user text with `parseTimeframe`. */
export type Timeframe = (typeof TIMEFRAMES)[number];

/** Every timeframe with a fixed width in milliseconds: all but the calendar month `1M`. */
export type FixedTimeframe = Exclude<Timeframe, '1M'>;

/** One minute in milliseconds. */
export const MINUTE_MS = 60_000;
/** One hour in milliseconds. */
export const HOUR_MS = 3_600_000;
/** One UTC day in milliseconds (UTC has no daylight saving). */
export const DAY_MS = 86_400_000;
/** One week in milliseconds. */
export const WEEK_MS = 604_800_000;

/**
 * Width of each fixed timeframe in milliseconds.
 * @internal
 */
export const FIXED_WIDTH_MS: Readonly<Record<FixedTimeframe, number>> = {
  '1m': MINUTE_MS,
  '3m': 3 * MINUTE_MS,
  '5m': 5 * MINUTE_MS,
  '15m': 15 * MINUTE_MS,
  '30m': 30 * MINUTE_MS,
  '1H': HOUR_MS,
  '2H': 2 * HOUR_MS,
  '4H': 4 * HOUR_MS,
  '6H': 6 * HOUR_MS,
  '8H': 8 * HOUR_MS,
  '12H': 12 * HOUR_MS,
  '1D': DAY_MS,
  '1W': WEEK_MS,
};

/**
 * Whether `tf` has a fixed width (everything except `1M`).
 *
 * @example
 * ```ts
 * isFixedTimeframe('1W') // true
 * isFixedTimeframe('1M') // false
 * ```
 */
export function isFixedTimeframe(tf: Timeframe): tf is FixedTimeframe {
  return tf !== '1M';
}
