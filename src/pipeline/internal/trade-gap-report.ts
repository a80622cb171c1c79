import { isoUtc } from '../../internal/iso-utc.js';
import type { QualityIssue } from '../../schemas/quality-report-schema.js';
import type { Tick } from '../../schemas/tick.js';
import type { Timeframe } from '../../time/timeframe.js';
import type { TradeIdGap } from './sequence-trades.js';

/** What became of one trade-id gap of a batch. */
export interface TradeGapTally {
  readonly gap: TradeIdGap;
  /** Trades of the gap re-fetched by id (each id once). */
  readonly refetched: number;
  /** Ids of the gap still missing after the re-fetch (lost). */
  readonly missing: number;
}

/**
 * What became of each of a batch's trade-id `gaps`: how many of their ids the re-fetch brought
 * (`refetched`) and how many are still missing, i.e. inside the gaps `left` after it.
 */
export function tallyTradeGaps(gaps: readonly TradeIdGap[], left: readonly TradeIdGap[], refetched: readonly Tick[]): TradeGapTally[] {
  return gaps.map((gap) => {
    let missing = 0;
    for (const rest of left) missing += Math.max(0, Math.min(rest.toId, gap.toId) - Math.max(rest.fromId, gap.fromId) + 1);
    const got = new Set(refetched.filter((t) => t.tradeId >= gap.fromId && t.tradeId <= gap.toId).map((t) => t.tradeId)).size;
    return { gap, refetched: got, missing };
  });
}

/**
 * The one `gap_detected` issue of a batch's trade-id gaps (one per batch, however many gaps:
 * a source whose ids are not consecutive would otherwise flood the report): `flagged` (`info`)
 * when the re-fetch filled every gap, `marked_missing` (`warning`) when ids were lost.
 *
 * @param now - When the gaps were found, epoch ms (the issue's timestamp).
 * @returns `undefined` for no gap.
 */
export function tradeGapIssue(
  symbol: string,
  timeframe: Timeframe,
  sourceName: string,
  tallies: readonly TradeGapTally[],
  now: number,
): QualityIssue | undefined {
  const first = tallies[0];
  const last = tallies.at(-1);
  if (first === undefined || last === undefined) return undefined;
  let size = 0;
  let got = 0;
  let missing = 0;
  for (const tally of tallies) {
    size += tally.gap.toId - tally.gap.fromId + 1;
    got += tally.refetched;
    missing += tally.missing;
  }
  const where =
    tallies.length === 1
      ? `Trade ids ${first.gap.fromId}–${first.gap.toId}`
      : `${tallies.length} gaps in trade ids ${first.gap.fromId}–${last.gap.toId}`;
  return {
    timestamp: isoUtc(now),
    type: 'gap_detected',
    symbol,
    timeframe,
    resolution: missing === 0 ? 'flagged' : 'marked_missing',
    severity: missing === 0 ? 'info' : 'warning',
    message: `${where} (${size} trade${size === 1 ? '' : 's'}) missing from ${sourceName}'s answer: ${got} re-fetched by id, ${missing} lost`,
  };
}
