import { requireTimeframe } from '../internal/options.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import type { Tick } from '../schemas/tick.js';
import { bucketEnd } from '../time/bucket-end.js';
import { bucketStart } from '../time/bucket-start.js';
import { FIXED_WIDTH_MS, type Timeframe } from '../time/timeframe.js';
import { aggregateIssue } from './internal/aggregate-issue-of.js';
import { isoTime } from '../internal/iso-utc.js';
import type { AggregateIssue } from './aggregate-issue.js';

/** Options of {@link TickAggregator}. */
export interface TickAggregatorOptions {
  /** Timeframe of the bars to build. */
  readonly timeframe: Timeframe;
}

/**
 * Streaming trades → bars. Each bar: open, high, low, close of the trade prices in time order;
 * `volume` = Σ quantity, `takerBuyVolume` = Σ quantity of taker-buy trades, `trades` = number of
 * trades, `quoteVolume` = Σ price × quantity. A bucket without trades yields no bar (filling
 * gaps is the gaps module's job). A bucket is emitted when a trade of a later bucket arrives or
 * when `close(now)` is called at or after its end. `ticksToOhlcv` is this class run over an
 * array, so the two agree by construction.
 *
 * Trades older than the previous one, repeats of a trade id at the same timestamp and trades
 * for a bucket already closed are skipped and reported (`takeIssues()`). Many trades may share
 * a timestamp.
 *
 * @example
 * ```ts
 * const agg = new TickAggregator({ timeframe: '1m' });
 * agg.add({ timestamp: Date.UTC(2024, 0, 1, 0, 0, 5), price: 10, quantity: 2, side: 'buy', tradeId: 1 });  // []
 * agg.add({ timestamp: Date.UTC(2024, 0, 1, 0, 0, 9), price: 12, quantity: 1, side: 'sell', tradeId: 2 }); // []
 * agg.close(Date.UTC(2024, 0, 1, 0, 1));
 * // [{ timestamp: Date.UTC(2024, 0, 1), open: 10, high: 12, low: 10, close: 12, volume: 3,
 * //    quoteVolume: 32, trades: 2, takerBuyVolume: 2 }]
 * ```
 */
export class TickAggregator {
  /** Timeframe of the bars built. */
  readonly timeframe: Timeframe;
  private issues: AggregateIssue[] = [];
  private seen = 0;
  private lastTs = Number.NEGATIVE_INFINITY;
  private readonly idsAtLastTs = new Set<number>();
  private closedUntil = Number.NEGATIVE_INFINITY;
  private start = Number.NaN;
  private end = Number.NaN;
  private open = 0;
  private high = 0;
  private low = 0;
  private close_ = 0;
  private volume = 0;
  private quoteVolume = 0;
  private takerBuyVolume = 0;
  private trades = 0;

  /**
   * @param options - See {@link TickAggregatorOptions}.
   * @throws ConfigError for an unknown timeframe.
   */
  constructor(options: TickAggregatorOptions) {
    this.timeframe = requireTimeframe(options.timeframe, ['timeframe']);
  }

  /**
   * Adds the next trade.
   *
   * @param tick - A trade no older than the previous one.
   * @returns The bar this trade closed (a trade of a later bucket closes the forming one), or nothing.
   */
  add(tick: Tick): Ohlcv[] {
    const index = this.seen++;
    const t = tick.timestamp;
    if (!Number.isFinite(t) || t < this.lastTs) {
      this.issues.push(
        aggregateIssue(
          'unsorted_timestamp',
          index,
          t,
          `Trade ${index} (${isoTime(t)}) is older than the trade before it (${isoTime(this.lastTs)}); it is skipped`,
        ),
      );
      return [];
    }
    if (t === this.lastTs && this.idsAtLastTs.has(tick.tradeId)) {
      this.issues.push(
        aggregateIssue('duplicate_trade', index, t, `Trade ${index} repeats trade id ${tick.tradeId} at ${isoTime(t)}; it is skipped`),
      );
      return [];
    }
    if (t < this.closedUntil) {
      this.issues.push(
        aggregateIssue(
          'late_bar',
          index,
          t,
          `Trade ${index} (${isoTime(t)}) belongs to a ${this.timeframe} bucket already closed; it is skipped`,
        ),
      );
      return [];
    }
    if (t !== this.lastTs) {
      this.lastTs = t;
      this.idsAtLastTs.clear();
    }
    this.idsAtLastTs.add(tick.tradeId);
    const out: Ohlcv[] = [];
    if (!Number.isNaN(this.start) && t >= this.end) this.emit(out);
    const { price, quantity } = tick;
    if (Number.isNaN(this.start)) {
      const start = bucketStart(t, this.timeframe);
      this.start = start;
      this.end = this.timeframe === '1M' ? bucketEnd(start, '1M') : start + FIXED_WIDTH_MS[this.timeframe];
      this.open = price;
      this.high = price;
      this.low = price;
      this.volume = 0;
      this.quoteVolume = 0;
      this.takerBuyVolume = 0;
      this.trades = 0;
    } else {
      if (price > this.high) this.high = price;
      if (price < this.low) this.low = price;
    }
    this.close_ = price;
    this.volume += quantity;
    this.quoteVolume += price * quantity;
    if (tick.side === 'buy') this.takerBuyVolume += quantity;
    this.trades++;
    return out;
  }

  /**
   * The bar of the bucket still forming, or `undefined` when no trade is pending.
   *
   * @returns A new object on every call.
   */
  current(): Ohlcv | undefined {
    return Number.isNaN(this.start) ? undefined : this.bar();
  }

  /**
   * Closes the forming bucket if it has ended by `now`.
   *
   * @param now - Epoch milliseconds.
   * @returns The closed bar, or nothing.
   */
  close(now: number): Ohlcv[] {
    const out: Ohlcv[] = [];
    if (!Number.isNaN(this.start) && this.end <= now) this.emit(out);
    return out;
  }

  /**
   * The issues reported since the last call, oldest first.
   *
   * @returns The issues; the aggregator forgets them.
   */
  takeIssues(): AggregateIssue[] {
    const taken = this.issues;
    this.issues = [];
    return taken;
  }

  private bar(): Ohlcv {
    return {
      timestamp: this.start,
      open: this.open,
      high: this.high,
      low: this.low,
      close: this.close_,
      volume: this.volume,
      quoteVolume: this.quoteVolume,
      trades: this.trades,
      takerBuyVolume: this.takerBuyVolume,
    };
  }

  private emit(out: Ohlcv[]): void {
    out.push(this.bar());
    this.closedUntil = this.end;
    this.start = Number.NaN;
    this.end = Number.NaN;
  }
}
