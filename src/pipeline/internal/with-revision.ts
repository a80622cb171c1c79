import type { Ohlcv } from '../../schemas/ohlcv.js';
import type { RevisedBar } from '../sink.js';

/**
 * A copy of `bar` carrying `revision`, always built in the same property order (the six
 * required fields, `revision`, then whichever optional fields the bar has). Not exported from
 * the package.
 *
 * The pipeline stores and aggregates every bar it revises, so these objects are read in the
 * hot loops of the store and the aggregators: one shape for the common bar keeps those reads
 * monomorphic, and fresh number fields sit next to their object in memory — a spread copy
 * (`{ ...bar, revision }`) shares the source row's boxed numbers and measured several times
 * slower to read back.
 *
 * @param bar - The bar (not modified).
 * @param revision - 0 for a first delivery, higher for each replacement.
 * @returns A new bar object.
 */
export function withRevision(bar: Ohlcv, revision: number): RevisedBar {
  const out: { -readonly [K in keyof RevisedBar]: RevisedBar[K] } = {
    timestamp: bar.timestamp,
    open: bar.open,
    high: bar.high,
    low: bar.low,
    close: bar.close,
    volume: bar.volume,
    revision,
  };
  if (bar.quoteVolume !== undefined) out.quoteVolume = bar.quoteVolume;
  if (bar.trades !== undefined) out.trades = bar.trades;
  if (bar.takerBuyVolume !== undefined) out.takerBuyVolume = bar.takerBuyVolume;
  if (bar.flag !== undefined) out.flag = bar.flag;
  if (bar.count !== undefined) out.count = bar.count;
  if (bar.synthetic !== undefined) out.synthetic = bar.synthetic;
  if (bar.missing !== undefined) out.missing = bar.missing;
  return out;
}
