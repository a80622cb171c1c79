import type { Ohlcv } from '../../schemas/ohlcv.js';
import { bucketStart } from '../../time/bucket-start.js';
import type { Timeframe } from '../../time/timeframe.js';

/** What {@link tradesStalled} judges from. */
export interface TradeStallFacts {
  /** Time of the last trade taken, or else of the first request's `since` (epoch ms); `null` before either. */
  readonly since: number | null;
  /** Now, epoch ms. */
  readonly now: number;
  /** No trade for this long (ms) may be a stall (`trades.stallMs`). */
  readonly stallMs: number;
  /** The base timeframe and its length in ms. */
  readonly base: Timeframe;
  readonly baseMs: number;
}

/**
 * Whether a symbol's trades stalled while its bars still come: no trade came for `stallMs`, yet
 * the newest stored base bar (`last`, read only when the time alone could be a stall: pass a
 * function) is the source's own (not flagged), has volume, and opens after the bucket of the
 * last trade. Call it only when the source has given every trade it has (its answer was short,
 * or its stream is open); a stall is then a `stale` failure of the source.
 */
export async function tradesStalled(facts: TradeStallFacts, last: () => Promise<Ohlcv | undefined>): Promise<boolean> {
  const { since, now, stallMs, base, baseMs } = facts;
  if (since === null || now - since < stallMs) return false;
  const bar = await last();
  if (bar === undefined || bar.flag !== undefined || bar.volume <= 0) return false;
  return bar.timestamp >= bucketStart(since, base) + baseMs;
}
