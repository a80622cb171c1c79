import type { Ohlcv } from '../../schemas/ohlcv.js';
import { BAR_FLAG_BY_CODE, BarFlagCode, barFlagCode } from '../../schemas/bar-flag.js';
import { combinedFlag } from './reduce-to-buckets.js';

/**
 * The still-forming bucket of a streaming aggregator: the same reductions as the batch kernel,
 * one bar at a time. Optional sums are `NaN` once a bar lacks the field (absent in the result).
 */
export class BucketState {
  start = Number.NaN;
  end = Number.NaN;
  private count = 0;
  private open = 0;
  private high = 0;
  private low = 0;
  private close = 0;
  /** Close of the last bar that is not synthetic, and whether there was one. */
  private realClose = 0;
  private hasReal = false;
  private exact = true;
  private tradedOpen = 0;
  private tradedHigh = 0;
  private tradedLow = 0;
  private traded = false;
  private volume = 0;
  private quoteVolume = 0;
  private trades = 0;
  private takerBuyVolume = 0;
  private flagMask = 0;
  private tradedFlagMask = 0;
  /** Synthetic source bars, in the units of `count`. */
  private synthetic = 0;
  /** Source bars one input bar stands for (`count + missing` of an aggregated input; 1 for plain bars), the largest seen. */
  private units = 1;

  /** Whether a bucket is forming. */
  get active(): boolean {
    return !Number.isNaN(this.start);
  }

  /** Starts the bucket `[start, end)` with its first bar. */
  begin(start: number, end: number, bar: Ohlcv): void {
    this.start = start;
    this.end = end;
    this.count = 0;
    this.traded = false;
    this.hasReal = false;
    this.open = bar.open;
    this.high = Number.NEGATIVE_INFINITY;
    this.low = Number.POSITIVE_INFINITY;
    this.volume = 0;
    this.quoteVolume = 0;
    this.trades = 0;
    this.takerBuyVolume = 0;
    this.flagMask = 0;
    this.tradedFlagMask = 0;
    this.synthetic = 0;
  }

  /** Adds a bar that belongs to the bucket (in time order). */
  add(bar: Ohlcv, exchangeExact: boolean): void {
    const code = barFlagCode(bar.flag);
    if (bar.high > this.high) this.high = bar.high;
    if (bar.low < this.low) this.low = bar.low;
    const traded = bar.volume > 0 && code !== BarFlagCode.Interpolated && code !== BarFlagCode.ForwardFilled;
    if (traded) this.tradedFlagMask |= 1 << code;
    if (exchangeExact && traded) {
      if (!this.traded) {
        this.traded = true;
        this.tradedOpen = bar.open;
        this.tradedHigh = bar.high;
        this.tradedLow = bar.low;
      } else {
        if (bar.high > this.tradedHigh) this.tradedHigh = bar.high;
        if (bar.low < this.tradedLow) this.tradedLow = bar.low;
      }
    }
    // A synthetic bar does not set the close of a bucket that has (or gets) a real bar.
    const synthetic = code === BarFlagCode.Interpolated || code === BarFlagCode.ForwardFilled;
    if (!synthetic) {
      this.realClose = bar.close;
      this.hasReal = true;
    }
    this.exact = exchangeExact;
    this.close = bar.close;
    const count = bar.count ?? 1;
    this.count += count;
    const own = bar.synthetic ?? 0;
    const flagged = synthetic ? count : 0;
    this.synthetic += own > flagged ? own : flagged;
    const units = count + (bar.missing ?? 0);
    if (units > this.units) this.units = units;
    this.volume += bar.volume;
    this.quoteVolume += bar.quoteVolume ?? Number.NaN;
    this.trades += bar.trades ?? Number.NaN;
    this.takerBuyVolume += bar.takerBuyVolume ?? Number.NaN;
    this.flagMask |= 1 << code;
  }

  /**
   * The bucket as a bar.
   *
   * @param slots - With provenance: the bucket's width in input bars (`synthetic` and
   *   `missing` are then set when above 0, as `aggregateOhlcv` does).
   */
  toBar(withCount: boolean, slots?: number): Ohlcv {
    const bar: Ohlcv = {
      timestamp: this.start,
      open: this.traded ? this.tradedOpen : this.open,
      high: this.traded ? this.tradedHigh : this.high,
      low: this.traded ? this.tradedLow : this.low,
      close: this.exact && this.hasReal ? this.realClose : this.close,
      volume: this.volume,
    };
    if (!Number.isNaN(this.quoteVolume)) bar.quoteVolume = this.quoteVolume;
    if (!Number.isNaN(this.trades)) bar.trades = this.trades;
    if (!Number.isNaN(this.takerBuyVolume)) bar.takerBuyVolume = this.takerBuyVolume;
    const flag = BAR_FLAG_BY_CODE[combinedFlag(this.flagMask, this.tradedFlagMask)];
    if (flag !== undefined) bar.flag = flag;
    if (withCount) bar.count = this.count;
    if (slots !== undefined) {
      if (this.synthetic > 0) bar.synthetic = this.synthetic;
      const missing = slots * this.units - this.count;
      if (missing > 0) bar.missing = missing;
    }
    return bar;
  }

  /** Ends the bucket. */
  reset(): void {
    this.start = Number.NaN;
    this.end = Number.NaN;
  }
}
