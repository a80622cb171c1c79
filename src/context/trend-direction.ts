import { linearRegression } from 'simple-statistics';
import { readFieldSeries } from '../internal/series-input.js';
import { ConfigError } from '../errors/config-error.js';
import type { HighLowCloseColumns, HighLowCloseRow, HighLowCloseSeries } from '../indicators/indicator-input.js';
import { trueRange } from '../indicators/true-range.js';
import { Trend } from '../schemas/market-context-schema.js';

/** Options of {@link trendDirection}. */
export interface TrendOptions {
  /**
   * Bars in the regression window (the most recent ones); an integer of at least 3.
   *
   * @defaultValue 20
   */
  readonly period?: number;
  /**
   * How far the regression line must travel across the window, in mean true ranges, to count
   * as a trend; a positive number.
   *
   * @defaultValue 1
   */
  readonly threshold?: number;
}

/**
 * Defaults of {@link trendDirection}: a 20-bar window, and a trend when the fitted line moves at
 * least one mean true range across it.
 *
 * @defaultValue `{ period: 20, threshold: 1 }`
 */
export const DEFAULT_TREND_OPTIONS: Readonly<Required<TrendOptions>> = { period: 20, threshold: 1 };

function resolveTrendOptions(options: TrendOptions | undefined): Required<TrendOptions> {
  const period: unknown = options?.period ?? DEFAULT_TREND_OPTIONS.period;
  if (typeof period !== 'number' || !Number.isSafeInteger(period) || period < 3) {
    throw new ConfigError(`Expected \`period\` to be an integer of at least 3, got \`${String(period)}\``, {
      path: ['period'],
      value: period,
    });
  }
  const threshold: unknown = options?.threshold ?? DEFAULT_TREND_OPTIONS.threshold;
  if (typeof threshold !== 'number' || !(threshold > 0) || !Number.isFinite(threshold)) {
    throw new ConfigError(`Expected \`threshold\` to be a positive number, got \`${String(threshold)}\``, {
      path: ['threshold'],
      value: threshold,
    });
  }
  return { period, threshold };
}

function closeAt(bars: HighLowCloseSeries, i: number): number {
  return Array.isArray(bars) ? ((bars as readonly HighLowCloseRow[])[i]?.close ?? NaN) : ((bars as HighLowCloseColumns).close[i] ?? NaN);
}

const HLC_FIELDS = ['high', 'low', 'close'] as const;
const NO_BARS: HighLowCloseSeries = { length: 0, high: new Float64Array(0), low: new Float64Array(0), close: new Float64Array(0) };

/**
 * Direction of the trend over the most recent `period` bars.
 *
 * Method: fit a least-squares line to the closes of the last `period` bars against their
 * index (simple-statistics `linearRegression`); the line's travel across the window,
 * `slope × (period − 1)`, is divided by the mean true range of those bars (Wilder's true
 * range, synthetic bars skipped — a simple-average ATR over the window). A travel of at least
 * `threshold` mean true ranges up is `bullish`, down `bearish`, anything smaller `ranging`.
 * The measure does not change when every price is scaled or shifted by the same amount, and
 * mirroring the prices flips bullish and bearish. Apply it to 1D and 4H bars for the market
 * context.
 *
 * @param input - Bars oldest first, as rows with `high`, `low`, `close` or as columns.
 * @param options - Window and threshold; see {@link DEFAULT_TREND_OPTIONS}.
 * @returns The direction, or `null` when there are fewer than `period` bars, a close in the
 * window is not finite, or no bar in the window has a usable true range.
 * @throws ConfigError when `period` is not an integer ≥ 3 or `threshold` is not positive.
 *
 * @example
 * ```ts
 * // Closes 100, 101, …, 119 with high = close + 1, low = close − 1: the line rises 19 over the
 * // window and the mean true range is 2, a travel of 9.5 true ranges.
 * trendDirection(Array.from({ length: 20 }, (_, i) => ({ high: 101 + i, low: 99 + i, close: 100 + i })))
 * // 'bullish'
 * ```
 */
export function trendDirection(input: HighLowCloseSeries, options?: TrendOptions): Trend | null {
  const { period, threshold } = resolveTrendOptions(options);
  // The boundary: rows that are not objects or hold non-numbers, columns `length` does not fit.
  const bars = readFieldSeries(input, HLC_FIELDS, true, NO_BARS).series;
  if (bars.length < period) return null;
  const first = bars.length - period;
  const points: [number, number][] = [];
  for (let i = first; i < bars.length; i++) {
    const close = closeAt(bars, i);
    if (!Number.isFinite(close)) return null;
    points.push([i - first, close]);
  }
  // Over the whole series: a window's first bar measures from the last usable close before it,
  // however many synthetic or broken bars lie between.
  const ranges = trueRange(bars);
  let sum = 0;
  let count = 0;
  for (let i = first; i < ranges.length; i++) {
    const range = ranges[i] as number;
    if (range === range) {
      sum += range;
      count++;
    }
  }
  if (count === 0) return null;
  const meanRange = sum / count;
  const travel = linearRegression(points).m * (period - 1);
  if (meanRange === 0) return travel === 0 ? Trend.Ranging : travel > 0 ? Trend.Bullish : Trend.Bearish;
  const move = travel / meanRange;
  return move >= threshold ? Trend.Bullish : move <= -threshold ? Trend.Bearish : Trend.Ranging;
}
