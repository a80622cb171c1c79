import { ConfigError } from '../errors/config-error.js';
import { readFieldSeries } from '../internal/series-input.js';
import { isSyntheticCode, isSyntheticFlag } from './internal/atr-options.js';
import type { BarFlag } from '../schemas/bar-flag.js';
import { DAY_MS } from '../time/timeframe.js';

/** The least a row needs for {@link dailyStats}. Every `Ohlcv` is a `DailyStatsRow`. */
export interface DailyStatsRow {
  /** Open time, epoch milliseconds, UTC. */
  readonly timestamp: number;
  /** Highest price (quote currency). */
  readonly high: number;
  /** Lowest price (quote currency). */
  readonly low: number;
  /** Traded quantity (base asset). */
  readonly volume: number;
  /** Provenance flag; synthetic bars are left out. */
  readonly flag?: BarFlag | undefined;
}

/** Columns for {@link dailyStats}. Every `OhlcvColumns` is one. */
export interface DailyStatsColumns {
  /** Number of bars. */
  readonly length: number;
  /** Open times, epoch milliseconds, UTC. */
  readonly timestamp: ArrayLike<number>;
  /** Highest prices (quote currency). */
  readonly high: ArrayLike<number>;
  /** Lowest prices (quote currency). */
  readonly low: ArrayLike<number>;
  /** Traded quantities (base asset). */
  readonly volume: ArrayLike<number>;
  /** `BarFlagCode` per bar; codes 1 and 2 (synthetic) are left out. */
  readonly flags?: ArrayLike<number> | undefined;
}

/** High, low and volume of one UTC day: the `daily_*` fields of the latest-OHLCV document. */
export interface DailyStats {
  /** Start of the UTC day, epoch milliseconds (00:00:00.000 UTC). */
  readonly dayStart: number;
  /** Highest high of the day's bars (quote currency); `undefined` when the day has no bars. */
  readonly high: number | undefined;
  /** Lowest low of the day's bars (quote currency); `undefined` when the day has no bars. */
  readonly low: number | undefined;
  /** Sum of the day's volumes (base asset); `undefined` when the day has no bars. */
  readonly volume: number | undefined;
  /** How many bars were counted (0 when none). */
  readonly bars: number;
}

const DAILY_FIELDS = ['timestamp', 'high', 'low', 'volume'] as const;
const NO_BARS: DailyStatsColumns = {
  length: 0,
  timestamp: new Float64Array(0),
  high: new Float64Array(0),
  low: new Float64Array(0),
  volume: new Float64Array(0),
};

/**
 * High, low and total volume of the bars that open within one UTC day
 * `[dayStart, dayStart + 86 400 000)`. A bar belongs to the day its open time falls in (a 1H
 * bar opening at 23:00 counts for that day in full). Synthetic bars (`interpolated`,
 * `forward_filled`) are left out: they have no traded prices or volume. Bars may come in any
 * order; bars with a non-finite timestamp are ignored. For a day still in progress this is the
 * day so far. The input is not modified.
 *
 * @param input - Rows with `timestamp`, `high`, `low`, `volume` (and optional `flag`), or columns.
 * @param day - Any instant within the day, epoch milliseconds (UTC midnight works too).
 * @returns The day's statistics; `high`, `low` and `volume` are `undefined` when no bar counts.
 * @throws ConfigError when `day` is not a finite number.
 *
 * @example
 * ```ts
 * const t = Date.UTC(2025, 0, 30);
 * dailyStats(
 *   [
 *     { timestamp: t - 60_000, high: 99, low: 90, volume: 5 }, // the day before
 *     { timestamp: t, high: 101, low: 97, volume: 2 },
 *     { timestamp: t + 3_600_000, high: 103, low: 98, volume: 3 },
 *   ],
 *   Date.UTC(2025, 0, 30, 10, 30),
 * )
 * // { dayStart: 1738195200000, high: 103, low: 97, volume: 5, bars: 2 }
 * ```
 */
export function dailyStats(input: readonly DailyStatsRow[] | DailyStatsColumns, day: number): DailyStats {
  if (typeof day !== 'number' || !Number.isFinite(day)) {
    throw new ConfigError(`Expected \`day\` to be a finite epoch-millisecond number, got \`${String(day)}\``, {
      path: ['day'],
      value: day,
    });
  }
  const bars = readFieldSeries(input, DAILY_FIELDS, true, NO_BARS).series;
  const dayStart = Math.floor(day / DAY_MS) * DAY_MS;
  const dayEnd = dayStart + DAY_MS;
  let high = -Infinity;
  let low = Infinity;
  let volume = 0;
  let count = 0;
  if (Array.isArray(bars)) {
    for (const bar of bars as readonly DailyStatsRow[]) {
      const t = bar.timestamp;
      if (t >= dayStart && t < dayEnd && !isSyntheticFlag(bar.flag)) {
        if (bar.high > high) high = bar.high;
        if (bar.low < low) low = bar.low;
        volume += bar.volume;
        count++;
      }
    }
  } else {
    const columns = bars as DailyStatsColumns;
    const { timestamp, flags } = columns;
    for (let i = 0; i < columns.length; i++) {
      const t = timestamp[i] as number;
      if (t >= dayStart && t < dayEnd && (flags === undefined || !isSyntheticCode(flags[i]))) {
        const h = columns.high[i] as number;
        const l = columns.low[i] as number;
        if (h > high) high = h;
        if (l < low) low = l;
        volume += columns.volume[i] as number;
        count++;
      }
    }
  }
  if (count === 0) return { dayStart, high: undefined, low: undefined, volume: undefined, bars: 0 };
  return { dayStart, high, low, volume, bars: count };
}
