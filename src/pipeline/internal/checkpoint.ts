import type { PipelineCheckpoint, SymbolCheckpoint } from '../pipeline-options.js';
import type { AlertLog } from './alert-log.js';
import { parseCheckpoint } from './checkpoint-schema.js';
import type { BackfillPlanner } from './backfill-planner.js';
import type { Delivery } from './delivery.js';
import type { EscalationTracker } from './escalation-tracker.js';
import type { FeedController } from './feed-controller.js';
import type { IssueLog } from './issue-log.js';
import type { StoreAccess } from './store-access.js';
import type { TradeFeed } from './trade-feed.js';

/** The units whose state a checkpoint keeps. */
export interface CheckpointUnits {
  readonly feed: FeedController;
  readonly issues: IssueLog;
  readonly escalation: EscalationTracker;
  readonly planner: BackfillPlanner;
  readonly alerts: AlertLog;
  readonly delivery: Delivery;
  readonly store: StoreAccess;
  readonly trades: TradeFeed;
}

/**
 * The pipeline's state at `at` (epoch ms) as plain JSON, from each unit's own part: per symbol
 * the feed state, the issues, the escalation memory, `syntheticSince` and the last trade id (with trades on); the rate limiters;
 * the alert numbering; the records pending per sink; and the store's snapshot when it takes one.
 */
export function takeCheckpoint(units: CheckpointUnits, at: number): PipelineCheckpoint {
  const { feed, issues, escalation, planner, alerts, delivery, store, trades } = units;
  const { feeds, limiters } = feed.toJSON();
  const symbols: Record<string, SymbolCheckpoint> = {};
  for (const [symbol, state] of Object.entries(feeds)) {
    const { escalated, qualityHeldSince } = escalation.toJSON(symbol);
    const lastTradeId = trades.lastTradeId(symbol);
    symbols[symbol] = {
      feed: state,
      issues: issues.toJSON(symbol),
      syntheticSince: planner.toJSON(symbol),
      escalated,
      qualityHeldSince,
      ...(lastTradeId === undefined ? {} : { lastTradeId }),
    };
  }
  const snapshot = store.snapshot();
  const checkpoint: PipelineCheckpoint = {
    version: 1,
    at,
    symbols,
    limiters,
    alertSequence: alerts.sequence,
    pending: delivery.pending(),
    ...(snapshot === undefined ? {} : { store: snapshot }),
  };
  return JSON.parse(JSON.stringify(checkpoint)) as PipelineCheckpoint;
}

/**
 * Reads an untrusted checkpoint (see {@link parseCheckpoint}) and gives each unit its part back.
 *
 * @param input - The checkpoint as given (`options.checkpoint`).
 * @param now - The clock's time, epoch ms: server blocks are cut to `MAX_RETRY_AFTER_MS` from it.
 * @throws `ConfigError` naming the path and the value of anything wrong in it: a version
 *   other than 1, a value of the wrong type, an unknown feed or limiter kind, a bar that breaks
 *   an OHLCV rule or is out of order.
 */
export function restoreCheckpoint(input: unknown, units: CheckpointUnits, now: number): void {
  const checkpoint = parseCheckpoint(input, now);
  units.alerts.restore(checkpoint.alertSequence);
  units.feed.restoreLimiters(checkpoint.limiters, checkpoint.at);
  for (const [symbol, saved] of Object.entries(checkpoint.symbols)) {
    units.feed.restoreFeed(symbol, saved.feed);
    units.issues.restore(symbol, saved.issues);
    units.escalation.restore(symbol, saved.escalated, saved.qualityHeldSince);
    units.planner.restore(symbol, saved.syntheticSince);
    if (saved.lastTradeId !== undefined) units.trades.restore(symbol, saved.lastTradeId);
  }
  if (checkpoint.store !== undefined) units.store.restore(checkpoint.store);
  units.delivery.restore(checkpoint.pending);
}
