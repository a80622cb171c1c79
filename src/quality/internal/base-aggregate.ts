/**
 * The reference of a `kind: 'base'` consistency check: the source's base-timeframe bars
 * aggregated to the checked timeframe by `aggregate/`'s engine (`aggregateOhlcv`), with the
 * inputs and options that give consistency's rules. Never exported from the package.
 */
import { aggregateOhlcv } from '../../aggregate/aggregate-ohlcv.js';
import { gatherColumns, type MutableColumns } from '../../internal/columns.js';
import { BarFlagCode } from '../../schemas/bar-flag.js';
import type { OhlcvColumns, OhlcvSeries } from '../../schemas/ohlcv-columns.js';
import { bucketStart } from '../../time/bucket-start.js';
import type { Timeframe } from '../../time/timeframe.js';
import { prepareSeries } from './prepared-series.js';

/**
 * Aggregates `base` (any order) into buckets of `tf`: first open, highest high, lowest low,
 * last close, summed volume; a bar without volume (not above 0) adds no price to a bucket
 * that has traded bars (exchanges such as Binance build candles from trades, so their
 * zero-volume filler minutes carry the previous close). Only buckets the base series covers
 * completely are kept: starting at or after its first bar, ending at or before its last
 * bar's close.
 *
 * What is handed to `aggregateOhlcv` and why:
 * - the bars in time order, without non-finite timestamps, the first bar at each time only
 *   (the engine skips bars out of order; consistency judges the bars in any order);
 * - a `flags` column marking each bar without volume `forward_filled` and every other bar
 *   real, the input's own flags left out: consistency trades on volume alone, so a filler
 *   sets neither the open, high, low nor close of a bucket that traded (exchange-exact
 *   alone would still take a zero-volume bar's close), and a flagged bar with volume counts;
 * - `source: baseTf` (bars off the base grid are skipped: the engine's rule), `partialStart`
 *   and `partialEnd` `'drop'` (whole buckets only), `count: false`.
 *
 * One rule is consistency's own, applied to the engine's result: a bucket holding a bar with
 * a non-finite open, high, low, close or volume is dropped, since no aggregate of it can be
 * trusted (the engine would build one from the bar's neighbours).
 *
 * @param base - The base-timeframe bars; not modified.
 * @param baseTf - Their timeframe, nesting in `tf` (checked by the caller).
 * @param tf - The checked timeframe.
 * @returns The buckets, strictly increasing.
 */
export function aggregateBase(base: OhlcvSeries, baseTf: Timeframe, tf: Timeframe): OhlcvColumns {
  const { cols, order, times } = prepareSeries(base);
  const n = cols.length;
  const flags = new Uint8Array(n);
  const input: MutableColumns = {
    length: 0,
    timestamp: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
    flags,
  };
  const broken = new Set<number>();
  let m = 0;
  let prevT = Number.NaN;
  for (let k = 0; k < n; k++) {
    const t = times[k]!;
    if (!Number.isFinite(t) || t === prevT) continue;
    prevT = t;
    const i = order === undefined ? k : order[k]!;
    const o = cols.open[i]!;
    const h = cols.high[i]!;
    const l = cols.low[i]!;
    const c = cols.close[i]!;
    const v = cols.volume[i]!;
    if (!(Number.isFinite(o) && Number.isFinite(h) && Number.isFinite(l) && Number.isFinite(c) && Number.isFinite(v))) {
      broken.add(bucketStart(t, tf));
    }
    input.timestamp[m] = t;
    input.open[m] = o;
    input.high[m] = h;
    input.low[m] = l;
    input.close[m] = c;
    input.volume[m] = v;
    flags[m] = v > 0 ? BarFlagCode.None : BarFlagCode.ForwardFilled;
    m++;
  }
  input.length = m;
  const { bars } = aggregateOhlcv(input, tf, { source: baseTf, partialStart: 'drop', partialEnd: 'drop', count: false });
  if (broken.size === 0) return bars;
  const kept: number[] = [];
  for (let j = 0; j < bars.length; j++) if (!broken.has(bars.timestamp[j]!)) kept.push(j);
  return gatherColumns(bars, kept);
}
