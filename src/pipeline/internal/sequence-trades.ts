import type { Tick } from '../../schemas/tick.js';

/** A run of missing trade ids, `fromId` to `toId` inclusive (`toId - fromId + 1` trades). */
export interface TradeIdGap {
  readonly fromId: number;
  readonly toId: number;
}

/** What {@link sequenceTrades} returns. */
export interface SequencedTrades {
  /** The trades not seen before, in trade-id order, each id once. */
  readonly fresh: readonly Tick[];
  /** Trades dropped as repeats: an id at or below `lastId`, or an id already in the batch. */
  readonly duplicates: number;
  /** Runs of ids missing between `lastId` and the fresh trades and among them (only with `consecutiveIds`). */
  readonly gaps: readonly TradeIdGap[];
}

/**
 * Dedupes and orders a batch of trades after the last one already taken, and finds the holes
 * in their ids. Trades are ordered by trade id (an exchange numbers its trades in the order
 * they happened; equal ids keep the first received). With `consecutiveIds`, ids that do not
 * follow each other — from `lastId + 1` on — are gaps. Pure: `ticks` is not modified.
 *
 * @param lastId - The id of the last trade already taken, or `null` before the first (then no
 *   gap is judged before the batch's first trade).
 * @param ticks - The batch, in any order.
 * @param consecutiveIds - Whether the source numbers its trades without holes (Binance does).
 *
 * @example
 * ```ts
 * const t = (tradeId: number) => ({ timestamp: Date.UTC(2025, 0, 30), price: 1, quantity: 1, side: 'buy' as const, tradeId });
 * sequenceTrades(10, [t(13), t(11), t(10), t(11)], true)
 * // { fresh: [t(11), t(13)], duplicates: 2, gaps: [{ fromId: 12, toId: 12 }] }
 * ```
 */
export function sequenceTrades(lastId: number | null, ticks: readonly Tick[], consecutiveIds: boolean): SequencedTrades {
  const sorted = [...ticks].sort((a, b) => a.tradeId - b.tradeId);
  const fresh: Tick[] = [];
  const gaps: TradeIdGap[] = [];
  let previous = lastId;
  for (const tick of sorted) {
    if (previous !== null && tick.tradeId <= previous) continue;
    if (consecutiveIds && previous !== null && tick.tradeId > previous + 1) gaps.push({ fromId: previous + 1, toId: tick.tradeId - 1 });
    fresh.push(tick);
    previous = tick.tradeId;
  }
  return { fresh, duplicates: ticks.length - fresh.length, gaps };
}
