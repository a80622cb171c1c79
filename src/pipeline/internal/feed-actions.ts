import type { FeedAction, FeedSource, FeedState } from '../../failover/feed-state.js';
import { feedActionAlert } from '../../reports/feed-action-alert.js';
import type { AlertLog } from './alert-log.js';
import type { BackfillPlanner } from './backfill-planner.js';
import type { EscalationTracker } from './escalation-tracker.js';

/** The units that carry out feed actions. */
export interface FeedActionUnits {
  readonly alerts: AlertLog;
  readonly escalation: EscalationTracker;
  readonly planner: BackfillPlanner;
  /** Names of the primary and backup sources. */
  readonly sources: Readonly<Record<FeedSource, string>>;
}

/**
 * Carries out one action of `symbol`'s feed state machine at `now` (epoch ms), `state` being the
 * state it moved to. The reports module says which actions raise which alert; escalations go
 * through the escalation tracker, which remembers them until the feed recovers (the machine
 * escalates each outage once);
 * `backfill` asks the planner to fetch the bars the store lacks. A `gap` needs no step of its
 * own: the fetch never reaches further back than the backfill, so the bars before it are the
 * hole the gaps module reports (and fills by size) when the fetched bars are stored.
 */
export function carryOutFeedAction(symbol: string, action: FeedAction, state: FeedState, now: number, units: FeedActionUnits): void {
  if (action.kind === 'backfill') {
    units.planner.backfill(symbol, action);
    return;
  }
  const alert = feedActionAlert(action, { symbol, sources: units.sources, state });
  if (alert === undefined) return;
  if (action.kind === 'escalate') {
    units.escalation.escalateFeed(symbol, action.reason, alert, now);
    return;
  }
  units.alerts.raise(alert, now);
  if (action.kind === 'switch_back' || action.kind === 'resume') units.escalation.feedRecovered(symbol);
}
