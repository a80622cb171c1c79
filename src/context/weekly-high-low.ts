import { ConfigError } from '../errors/config-error.js';
import { readSeries } from '../internal/series-input.js';
import { isOhlcvColumns, type OhlcvSeries } from '../schemas/ohlcv-columns.js';
import { bucketStart } from '../time/bucket-start.js';
import { WEEK_MS } from '../time/timeframe.js';

/** Which week {@link weeklyHighLow} reads. */
export type WeekChoice = 'previous' | 'current';

/** Options of {@link weeklyHighLow}. */
export interface WeeklyHighLowOptions {
  /**
   * `previous`: the last complete Monday-to-Sunday UTC week before `now` (a fixed level for the
   * whole current week, like the previous day for the daily pivots); `current`: the week that
   * contains `now`, up to `now` (it widens as the week goes on).
   *
   * @defaultValue `'previous'`
   */
  readonly week?: WeekChoice;
}

/** High and low of one Monday-anchored UTC week. */
export interface WeeklyHighLow {
  /** Highest `high` of the week's bars (quote currency). */
  readonly high: number;
  /** Lowest `low` of the week's bars (quote currency). */
  readonly low: number;
  /** Epoch ms of the week's Monday 00:00 UTC. */
  readonly weekStart: number;
  /** How many bars contributed (to judge coverage: 7 daily bars make a full crypto week, 5 a currency-market week). */
  readonly barCount: number;
}

/**
 * High and low of a Monday-anchored UTC week (weeks start Monday 00:00 UTC, as `1W` buckets
 * do). By default the **previous** complete week is used; pass `{ week: 'current' }` for the
 * week in progress.
 *
 * A bar belongs to the week that contains its open time; bars of any timeframe up to `1W` can
 * be given, in any order. Bars whose high or low is not finite are skipped. Bars opening after
 * `now` are ignored.
 *
 * @param input - Bars as rows or columns.
 * @param now - The instant the levels are for, epoch ms (UTC).
 * @param options - Which week; see {@link WeeklyHighLowOptions}.
 * @returns The week's high, low, start and bar count, or `null` when no usable bar lies in it.
 * @throws ConfigError when `now` is not finite or `week` is not `previous` or `current`.
 *
 * @example
 * ```ts
 * // Thursday 2025-01-30: the previous week is Monday 2025-01-20 to Sunday 2025-01-26.
 * weeklyHighLow(dailyBars, Date.parse('2025-01-30T10:30:00Z'))
 * // { high: 46000, low: 43500, weekStart: Date.parse('2025-01-20T00:00:00Z'), barCount: 7 }
 * ```
 */
export function weeklyHighLow(input: OhlcvSeries, now: number, options?: WeeklyHighLowOptions): WeeklyHighLow | null {
  if (!Number.isFinite(now)) {
    throw new ConfigError(`Expected \`now\` to be finite epoch milliseconds, got \`${String(now)}\``, {
      path: ['now'],
      value: now,
    });
  }
  const week: unknown = options?.week ?? 'previous';
  if (week !== 'previous' && week !== 'current') {
    throw new ConfigError(`Expected \`week\` to be 'previous' or 'current', got \`${String(week)}\``, {
      path: ['week'],
      value: week,
    });
  }
  const bars = readSeries(input).series;
  const thisWeek = bucketStart(now, '1W');
  const from = week === 'previous' ? thisWeek - WEEK_MS : thisWeek;
  const to = week === 'previous' ? thisWeek : now + 1;
  let high = -Infinity;
  let low = Infinity;
  let barCount = 0;
  if (isOhlcvColumns(bars)) {
    const { timestamp, high: hs, low: ls } = bars;
    for (let i = 0; i < bars.length; i++) {
      const t = timestamp[i] as number;
      if (!(t >= from && t < to)) continue;
      const h = hs[i] as number;
      const l = ls[i] as number;
      if (h - h !== 0 || l - l !== 0) continue; // not finite
      if (h > high) high = h;
      if (l < low) low = l;
      barCount++;
    }
  } else {
    for (const bar of bars) {
      const t = bar.timestamp;
      if (!(t >= from && t < to)) continue;
      const { high: h, low: l } = bar;
      if (h - h !== 0 || l - l !== 0) continue; // not finite
      if (h > high) high = h;
      if (l < low) low = l;
      barCount++;
    }
  }
  return barCount === 0 ? null : { high, low, weekStart: from, barCount };
}
