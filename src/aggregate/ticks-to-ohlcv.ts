import { ConfigError } from '../errors/config-error.js';
import { readFieldSeries } from '../internal/series-input.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import type { Tick } from '../schemas/tick.js';
import type { Timeframe } from '../time/timeframe.js';
import { aggregateIssue } from './internal/aggregate-issue-of.js';
import { isoTime } from '../internal/iso-utc.js';
import type { AggregateResult } from './aggregate-ohlcv.js';
import { DEFAULT_AGGREGATION, type PartialBucketPolicy } from './aggregate-options.js';
import { TickAggregator } from './tick-aggregator.js';

/** Options of {@link ticksToOhlcv}. */
export interface TicksToOhlcvOptions {
  /**
   * Epoch milliseconds up to which (exclusive) the trades are known to be complete, such as
   * the end of the fetched window. A bucket ending at or before it is complete. Omitted: the
   * last bucket is always treated as still in progress.
   */
  readonly until?: number;
  /**
   * The last bucket when `until` does not show it complete.
   * @defaultValue 'drop' (reported as `partial_bucket_dropped`), as in `aggregateOhlcv`
   */
  readonly partialEnd?: PartialBucketPolicy;
}

const TICK_FIELDS = ['timestamp', 'price', 'quantity', 'tradeId'] as const;
const TICK_TEXT = ['side'] as const;
const NO_TICKS: readonly Tick[] = [];

/**
 * Builds bars from trades: open, high, low, close of the prices in time order, `volume` =
 * Σ quantity, `takerBuyVolume` = Σ quantity of taker-buy trades, `trades` = the number of
 * trades, `quoteVolume` = Σ price × quantity. Buckets without trades produce no bar. Trades out
 * of order or repeating a trade id at the same timestamp are skipped and reported. The
 * streaming form is {@link TickAggregator}; this function runs it over the array.
 *
 * @param input - Trades in time order (ties allowed). A trade that is not an object (`null`, a
 *   hole) or holds a non-number is read with `NaN` there and skipped as `unsorted_timestamp` when
 *   its timestamp is not a number.
 * @param timeframe - The bars' timeframe.
 * @param options - See {@link TicksToOhlcvOptions}.
 * @returns Rows of bars; `partial.last` when the kept last bucket may still be in progress
 *   (`partial.first` is always `false`: a bucket starts with its first trade).
 * @throws ConfigError for an unknown timeframe or an invalid option.
 *
 * @example
 * ```ts
 * const t = (s: number, price: number, quantity: number, side: 'buy' | 'sell', tradeId: number) =>
 *   ({ timestamp: Date.UTC(2024, 0, 1, 0, 0, s), price, quantity, side, tradeId });
 * ticksToOhlcv([t(5, 10, 2, 'buy', 1), t(9, 12, 1, 'sell', 2)], '1m', { until: Date.UTC(2024, 0, 1, 0, 1) }).bars
 * // [{ timestamp: Date.UTC(2024, 0, 1), open: 10, high: 12, low: 10, close: 12, volume: 3,
 * //    quoteVolume: 32, trades: 2, takerBuyVolume: 2 }]
 * ```
 */
export function ticksToOhlcv(input: readonly Tick[], timeframe: Timeframe, options: TicksToOhlcvOptions = {}): AggregateResult<Ohlcv[]> {
  const partialEnd = options.partialEnd ?? DEFAULT_AGGREGATION.partialEnd;
  if (partialEnd !== 'keep' && partialEnd !== 'drop') {
    throw new ConfigError(`Expected \`partialEnd\` to be 'keep' or 'drop', got \`${String(partialEnd)}\``, {
      path: ['partialEnd'],
      value: partialEnd,
    });
  }
  const { until } = options;
  if (until !== undefined && (typeof until !== 'number' || Number.isNaN(until))) {
    throw new ConfigError(`Expected \`until\` to be epoch milliseconds, got \`${String(until)}\``, { path: ['until'], value: until });
  }
  const aggregator = new TickAggregator({ timeframe });
  const bars: Ohlcv[] = [];
  // The boundary: a trade that is not an object, or holds a non-number, is read with NaN there.
  const read = readFieldSeries<Tick, readonly Tick[]>(input, TICK_FIELDS, false, NO_TICKS, 'Trade', TICK_TEXT);
  for (const tick of read.series) {
    for (const bar of aggregator.add(tick)) bars.push(bar);
  }
  if (until !== undefined) {
    for (const bar of aggregator.close(until)) bars.push(bar);
  }
  const issues = aggregator.takeIssues();
  const pending = aggregator.current();
  let last = false;
  if (pending !== undefined) {
    if (partialEnd === 'keep') {
      bars.push(pending);
      last = true;
    } else {
      issues.push(
        aggregateIssue(
          'partial_bucket_dropped',
          -1,
          pending.timestamp,
          `The ${aggregator.timeframe} bucket at ${isoTime(pending.timestamp)} may still be in progress (pass \`until\`); it is dropped`,
        ),
      );
    }
  }
  return { bars, partial: { first: false, last }, issues };
}
