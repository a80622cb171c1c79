/**
 * Provenance's `missing` column of the batch aggregation: the source bars a bucket lacks,
 * from its width and its `count`. Never exported from the package.
 */
import type { MutableColumns } from '../../internal/columns.js';
import type { OhlcvColumns } from '../../schemas/ohlcv-columns.js';
import { bucketEnd } from '../../time/bucket-end.js';
import { FIXED_WIDTH_MS, type FixedTimeframe, type Timeframe } from '../../time/timeframe.js';

/**
 * Source bars (in the units of `count`) one input bar stands for: 1 for plain bars, else the
 * largest `count + missing` among them (an aggregated input: every bar of it on one grid has
 * the same).
 */
export function unitsPerBar(input: OhlcvColumns): number {
  const count = input.count;
  if (count === undefined) return 1;
  const missing = input.missing;
  let units = 1;
  for (let i = 0; i < input.length; i++) {
    const u = (count[i] as number) + (missing === undefined ? 0 : (missing[i] as number));
    if (u > units) units = u;
  }
  return units;
}

/**
 * Provenance's `missing` per bucket: the bucket's width in source bars (of `sourceWidth` ms; 0
 * for `1M` bars, one per bucket) times `units`, minus its `count`; `NaN` when the width is unknown.
 */
export function missingBars(columns: MutableColumns, tf: Timeframe, sourceWidth: number, units: number): Float64Array {
  const m = columns.length;
  const out = new Float64Array(m);
  const count = columns.count as Float64Array;
  if (tf !== '1M' || sourceWidth === 0) {
    // Every bucket has the same width in source bars.
    const full = (sourceWidth === 0 ? 1 : FIXED_WIDTH_MS[tf as FixedTimeframe] / sourceWidth) * units;
    for (let j = 0; j < m; j++) out[j] = full - (count[j] as number);
    return out;
  }
  for (let j = 0; j < m; j++) {
    const start = columns.timestamp[j] as number;
    out[j] = ((bucketEnd(start, tf) - start) / sourceWidth) * units - (count[j] as number);
  }
  return out;
}
