import type { JoinedBar } from 'market-data-pipeline';

/** Options of {@link runBacktest}. */
export interface BacktestOptions {
  /**
   * Bars in the fast moving average (of closes).
   * @defaultValue 12 (one hour of 5m bars)
   */
  readonly fast?: number;
  /**
   * Bars in the slow moving average.
   * @defaultValue 48 (four hours of 5m bars)
   */
  readonly slow?: number;
}

/** One round trip: long one unit from entry to exit. */
export interface Trade {
  /** Open time of the bar whose open filled the entry, epoch ms. */
  readonly entryTime: number;
  /** Entry price (that bar's open). */
  readonly entryPrice: number;
  /** Open time of the bar whose open filled the exit (or of the last bar, closed at its close), epoch ms. */
  readonly exitTime: number;
  /** Exit price. */
  readonly exitPrice: number;
  /** Return of the trade as a fraction (0.01 = +1 %), before costs. */
  readonly return: number;
}

/** What {@link runBacktest} found. */
export interface BacktestResult {
  /** The round trips, in time order. */
  readonly trades: readonly Trade[];
  /** Compounded return of all trades as a fraction. */
  readonly totalReturn: number;
  /** Fraction of trades with a positive return (0 without trades). */
  readonly winRate: number;
  /** Open times of the signal bars (where a long entry was decided, at their close). */
  readonly signals: readonly number[];
}

function check(ok: boolean, name: string, value: unknown): void {
  if (!ok) throw new RangeError(`Expected \`${name}\` to be a positive integer with fast < slow, got \`${String(value)}\``);
}

/**
 * A small long-only moving-average crossover, the kind of loop a backtest runs over clean bars.
 * Each 5m bar carries the last **closed** 1H bar (`joinHigherTimeframe`), so the strategy only
 * uses what it could have known at the bar's close:
 *
 * - signal at the close of bar `i`: the fast average of closes crosses above the slow one, and
 *   the last closed hour went up (its close above its open); no signal on a bar the pipeline
 *   made up (flagged `interpolated` or `forward_filled`): nobody traded there;
 * - the entry fills at the next bar's open; the exit when the fast average crosses back below
 *   the slow one, also at the next bar's open; a position still open at the end is closed at
 *   the last close.
 *
 * @param bars - 5m bars, oldest first, each with `higher`, the last closed 1H bar.
 * @param options - the averages' lengths; see {@link BacktestOptions}.
 * @returns The trades and their summary.
 * @throws RangeError when `fast` or `slow` is not a positive integer or `fast >= slow`.
 *
 * @example
 * ```ts
 * const joined = joinHigherTimeframe(bars5m, '5m', bars1h, '1H');
 * const { trades, totalReturn } = runBacktest(joined, { fast: 12, slow: 48 });
 * ```
 */
export function runBacktest(bars: readonly JoinedBar[], options: BacktestOptions = {}): BacktestResult {
  const fast = options.fast ?? 12;
  const slow = options.slow ?? 48;
  check(Number.isSafeInteger(fast) && fast > 0 && fast < slow, 'fast', fast);
  check(Number.isSafeInteger(slow) && slow > 0, 'slow', slow);
  const trades: Trade[] = [];
  const signals: number[] = [];
  let fastSum = 0;
  let slowSum = 0;
  let previousDiff: number | undefined;
  let entry: { time: number; price: number } | undefined;
  let pending: 'buy' | 'sell' | undefined;
  for (let i = 0; i < bars.length; i++) {
    const bar = bars[i] as JoinedBar;
    // Orders decided at the previous close fill at this bar's open.
    if (pending === 'buy') entry = { time: bar.timestamp, price: bar.open };
    if (pending === 'sell' && entry !== undefined) {
      trades.push({
        entryTime: entry.time,
        entryPrice: entry.price,
        exitTime: bar.timestamp,
        exitPrice: bar.open,
        return: bar.open / entry.price - 1,
      });
      entry = undefined;
    }
    pending = undefined;
    fastSum += bar.close - (i >= fast ? (bars[i - fast] as JoinedBar).close : 0);
    slowSum += bar.close - (i >= slow ? (bars[i - slow] as JoinedBar).close : 0);
    if (i < slow - 1) continue;
    const diff = fastSum / fast - slowSum / slow;
    if (previousDiff !== undefined && i < bars.length - 1) {
      const crossedUp = previousDiff <= 0 && diff > 0;
      const crossedDown = previousDiff >= 0 && diff < 0;
      const hourUp = bar.higher !== undefined && bar.higher.close > bar.higher.open;
      const real = bar.flag !== 'interpolated' && bar.flag !== 'forward_filled';
      if (entry === undefined && crossedUp && hourUp && real) {
        pending = 'buy';
        signals.push(bar.timestamp);
      } else if (entry !== undefined && crossedDown) {
        pending = 'sell';
      }
    }
    previousDiff = diff;
  }
  const last = bars.at(-1);
  if (entry !== undefined && last !== undefined) {
    trades.push({
      entryTime: entry.time,
      entryPrice: entry.price,
      exitTime: last.timestamp,
      exitPrice: last.close,
      return: last.close / entry.price - 1,
    });
  }
  const totalReturn = trades.reduce((equity, trade) => equity * (1 + trade.return), 1) - 1;
  const winRate = trades.length === 0 ? 0 : trades.filter((trade) => trade.return > 0).length / trades.length;
  return { trades, totalReturn, winRate, signals };
}
