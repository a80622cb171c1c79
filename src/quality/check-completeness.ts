import { requireTimeframe, resolveSection } from '../internal/options.js';
import { CompletenessConfigSchema, DEFAULT_COMPLETENESS, type CompletenessConfig } from '../schemas/config.js';
import type { OhlcvSeries } from '../schemas/ohlcv-columns.js';
import type { Timeframe } from '../time/timeframe.js';
import { gridOf } from '../time/timeframe-grid.js';
import type { CompletenessResult } from './completeness-result.js';
import { measureCompleteness } from './internal/completeness-walk.js';
import { prepareSeries } from './internal/prepared-series.js';

/** Options of {@link checkCompleteness}. */
export interface CheckCompletenessOptions {
  /** The bars' timeframe: the grid of expected open times. ccxt spellings are accepted. */
  readonly timeframe: Timeframe;
  /**
   * Start of the window, epoch ms, inclusive: bars are expected from the first bucket
   * starting at or after it.
   * @defaultValue the open time of the first bar's bucket
   */
  readonly start?: number;
  /**
   * End of the window, epoch ms, exclusive.
   * @defaultValue the close time of the last bar's bucket
   */
  readonly end?: number;
  /** Overrides of {@link DEFAULT_COMPLETENESS}. */
  readonly config?: Partial<CompletenessConfig>;
  /** Stamped on the findings. */
  readonly symbol?: string;
}

/**
 * The completeness metric: bars expected on the timeframe grid against bars present, every
 * run of missing bars with its length against the per-timeframe maximum (`maxGapBars`: 1m 5,
 * 5m 2, 1H 1), critical gaps (more than `criticalGapBars` = 3 bars on 1m and 5m), and the
 * daily standard (at most `maxMissingShareDaily` = 1 % of a UTC day's bars missing).
 * Score = present / expected.
 *
 * Bars are placed in the bucket containing their timestamp (a bar a few ms late still fills
 * its bucket; alignment is judged by `checkConsistency`); duplicates fill one bucket; order
 * does not matter. Bars with a non-finite timestamp or outside the window are ignored.
 *
 * @param bars - Rows or columns; not modified.
 * @param options - See {@link CheckCompletenessOptions}.
 * @returns The score, counts, the runs of missing bars and findings.
 * @throws {@link ConfigError} for an unknown timeframe, a non-finite `start`/`end`, `end <= start`, or an invalid config.
 *
 * @example
 * ```ts
 * const t = Date.UTC(2025, 0, 30);
 * const bar = (m: number) => ({ timestamp: t + m * 60_000, open: 1, high: 1, low: 1, close: 1, volume: 1 });
 * const result = checkCompleteness([bar(0), bar(1), bar(6)], { timeframe: '1m' });
 * result.score    // 3 / 7 ≈ 0.4286
 * result.gaps     // [{ timestamp: t + 120000, endTimestamp: t + 300000, count: 4, critical: true, overLimit: false }]
 * ```
 */
export function checkCompleteness(bars: OhlcvSeries, options: CheckCompletenessOptions): CompletenessResult {
  const tf = requireTimeframe(options.timeframe, ['timeframe']);
  const config = resolveSection(CompletenessConfigSchema, DEFAULT_COMPLETENESS, options.config, ['config']);
  return measureCompleteness(prepareSeries(bars), options.start, options.end, gridOf(tf), config, {
    symbol: options.symbol,
    timeframe: tf,
  });
}
