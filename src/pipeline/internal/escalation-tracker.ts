import type { FeedAlertInput } from '../../reports/feed-action-alert.js';
import { EscalationTrigger } from '../../quality/escalation-trigger.js';
import { evaluateEscalation, type EscalationGap } from '../../quality/evaluate-escalation.js';
import type { EscalationConfig } from '../../schemas/config.js';
import type { AlertLog } from './alert-log.js';
import type { PipelineEmitter } from './pipeline-emitter.js';

const TRIGGERS: ReadonlySet<string> = new Set(Object.values(EscalationTrigger));

function isTrigger(value: string): value is EscalationTrigger {
  return TRIGGERS.has(value);
}

/**
 * Owns escalation: per symbol, the triggers already escalated and still active (so each one
 * escalates once per episode) and the critical gaps that may still escalate. It asks
 * `evaluateEscalation` — the quality module's rule — and raises the escalating alert and the
 * `escalation` event for each fresh trigger.
 */
export class EscalationTracker {
  readonly #config: EscalationConfig;
  readonly #alerts: AlertLog;
  readonly #emitter: PipelineEmitter;
  readonly #escalated = new Map<string, Set<EscalationTrigger>>();
  readonly #criticalGaps = new Map<string, EscalationGap[]>();

  constructor(config: EscalationConfig, alerts: AlertLog, emitter: PipelineEmitter) {
    this.#config = config;
    this.#alerts = alerts;
    this.#emitter = emitter;
  }

  /** Records a critical gap of `symbol` (it escalates while it is recent). */
  addCriticalGap(symbol: string, gap: EscalationGap): void {
    const gaps = this.#criticalGaps.get(symbol);
    if (gaps === undefined) this.#criticalGaps.set(symbol, [gap]);
    else gaps.push(gap);
  }

  /** Raises the feed state machine's escalation (`feed_offline` or `source_unavailable`) with its alert. */
  escalateFeed(symbol: string, trigger: 'feed_offline' | 'source_unavailable', alert: FeedAlertInput, now: number): void {
    this.#of(symbol).add(trigger);
    const raised = this.#alerts.raise(alert, now);
    this.#emitter.emit('escalation', { symbol, reasons: [alert.message], alert: raised });
  }

  /** The feed recovered: its triggers may escalate again in the next outage. */
  feedRecovered(symbol: string): void {
    const escalated = this.#escalated.get(symbol);
    escalated?.delete(EscalationTrigger.FeedOffline);
    escalated?.delete(EscalationTrigger.SourceUnavailable);
  }

  /**
   * Judges `symbol` at `now` (epoch ms) on its feed, its base series' score and its recent
   * critical gaps; each trigger that fires and was not escalated yet raises one critical alert.
   * A trigger that stopped firing may fire again later (`source_unavailable` is cleared only by
   * {@link EscalationTracker.feedRecovered}).
   */
  evaluate(symbol: string, feedOffline: boolean, score: number | undefined, now: number): void {
    const gaps = this.#recentGaps(symbol, now);
    const escalated = this.#escalated.get(symbol);
    // Nothing escalated and no input that could escalate (the usual case, for every symbol every cycle).
    const calm = !feedOffline && gaps.length === 0 && (score === undefined || score >= this.#config.qualityBelow);
    if (calm && (escalated === undefined || escalated.size === 0)) return;
    const decision = evaluateEscalation(
      { now, symbol, feedOffline, ...(score === undefined ? {} : { qualityScore: score }), criticalGaps: gaps },
      this.#config,
    );
    const memory = this.#of(symbol);
    if (decision.reasons.length === 0 && memory.size === 0) return;
    const active = new Set(decision.reasons.map((r) => r.trigger));
    for (const trigger of [...memory]) {
      if (!active.has(trigger) && trigger !== EscalationTrigger.SourceUnavailable) memory.delete(trigger);
    }
    const fresh = decision.reasons.filter((r) => !memory.has(r.trigger));
    if (fresh.length === 0) return;
    for (const reason of fresh) memory.add(reason.trigger);
    const reasons = fresh.map((r) => r.reason);
    const alert = this.#alerts.raise(
      {
        severity: 'critical',
        type: 'escalation',
        message: reasons.join('; '),
        affected: { symbol },
        actionTaken: 'Escalated to the trading coordinator',
        escalate: true,
      },
      now,
    );
    this.#emitter.emit('escalation', { symbol, reasons, alert });
  }

  /** What a checkpoint keeps of `symbol`. */
  toJSON(symbol: string): { criticalGaps: EscalationGap[]; escalated: EscalationTrigger[] } {
    return { criticalGaps: [...(this.#criticalGaps.get(symbol) ?? [])], escalated: [...(this.#escalated.get(symbol) ?? [])] };
  }

  /** Puts a checkpoint's state of `symbol` back; unknown trigger names are dropped. */
  restore(symbol: string, criticalGaps: readonly EscalationGap[], escalated: readonly string[]): void {
    this.#criticalGaps.set(symbol, [...criticalGaps]);
    this.#escalated.set(symbol, new Set(escalated.filter(isTrigger)));
  }

  /** The critical gaps of `symbol` that ended within `recentGapWindowMs` of `now`; older ones are forgotten. */
  #recentGaps(symbol: string, now: number): readonly EscalationGap[] {
    const gaps = this.#criticalGaps.get(symbol);
    if (gaps === undefined || gaps.length === 0) return [];
    const kept = gaps.filter((gap) => (gap.endTimestamp ?? gap.timestamp ?? now) >= now - this.#config.recentGapWindowMs);
    this.#criticalGaps.set(symbol, kept);
    return kept;
  }

  #of(symbol: string): Set<EscalationTrigger> {
    let escalated = this.#escalated.get(symbol);
    if (escalated === undefined) {
      escalated = new Set();
      this.#escalated.set(symbol, escalated);
    }
    return escalated;
  }
}
