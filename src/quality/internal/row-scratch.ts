import type { MutableColumns } from '../../internal/columns.js';
import { barFlagCode } from '../../schemas/bar-flag.js';
import type { Ohlcv } from '../../schemas/ohlcv.js';
import type { OhlcvColumns } from '../../schemas/ohlcv-columns.js';

/**
 * Reusable columns for rows fed one small batch at a time (a streaming tracker's `addRows`):
 * the arrays grow to twice the largest batch seen and are then reused, so a call allocates
 * nothing. A private helper of `QualityTracker`.
 */
export class RowScratch {
  #columns: MutableColumns | undefined;

  /**
   * The rows as columns, `flags` always present.
   *
   * @param bars - Rows with typed fields (the pipeline's stored bars).
   * @returns Columns valid until the next call (the arrays are reused; only the first `length` entries count).
   */
  fill(bars: readonly Ohlcv[]): OhlcvColumns {
    const n = bars.length;
    let c = this.#columns;
    if (c === undefined || c.timestamp.length < n) {
      const size = Math.max(8, 2 * n);
      c = {
        length: 0,
        timestamp: new Float64Array(size),
        open: new Float64Array(size),
        high: new Float64Array(size),
        low: new Float64Array(size),
        close: new Float64Array(size),
        volume: new Float64Array(size),
        flags: new Uint8Array(size),
      };
      this.#columns = c;
    }
    const flags = c.flags as Uint8Array;
    for (let i = 0; i < n; i++) {
      const bar = bars[i] as Ohlcv;
      c.timestamp[i] = bar.timestamp;
      c.open[i] = bar.open;
      c.high[i] = bar.high;
      c.low[i] = bar.low;
      c.close[i] = bar.close;
      c.volume[i] = bar.volume;
      flags[i] = barFlagCode(bar.flag);
    }
    c.length = n;
    return c;
  }
}
