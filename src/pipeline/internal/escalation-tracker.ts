import type { AlertInput } from '../../reports/create-alert.js';
import type { FeedAlertInput } from '../../reports/feed-action-alert.js';
import { EscalationTrigger } from '../../quality/escalation-trigger.js';
import { evaluateEscalation } from '../../quality/evaluate-escalation.js';
import type { EscalationConfig } from '../../schemas/config.js';
import type { AlertLog } from './alert-log.js';
import type { PipelineEmitter } from './pipeline-emitter.js';

const TRIGGERS: ReadonlySet<string> = new Set(Object.values(EscalationTrigger));

function isTrigger(value: string): value is EscalationTrigger {
  return TRIGGERS.has(value);
}

interface Memory {
  readonly escalated: Set<EscalationTrigger>;
}

/**
 * Owns escalation: per symbol, the triggers already escalated and still active (so each one
 * escalates once per episode). It asks `evaluateEscalation` — the quality module's rule — and
 * raises the escalating alert and the `escalation` event for each fresh trigger. Critical gaps
 * escalate one by one when found ({@link EscalationTracker.escalateGap}), not through `evaluate`.
 */
export class EscalationTracker {
  readonly #config: EscalationConfig;
  readonly #alerts: AlertLog;
  readonly #emitter: PipelineEmitter;
  readonly #memory = new Map<string, Memory>();

  constructor(config: EscalationConfig, alerts: AlertLog, emitter: PipelineEmitter) {
    this.#config = config;
    this.#alerts = alerts;
    this.#emitter = emitter;
  }

  /** Raises the feed state machine's escalation (`feed_offline` or `source_unavailable`) with its alert. */
  escalateFeed(symbol: string, trigger: 'feed_offline' | 'source_unavailable', alert: FeedAlertInput, now: number): void {
    this.#of(symbol).escalated.add(trigger);
    this.#escalate(symbol, alert, now);
  }

  /**
   * Escalates one critical gap with its own alert (which must say `escalate: true`): one alert
   * and one `escalation` event per gap, whether a poll, a stream or a backfill found it and
   * however long ago it ended. The caller reports each gap once.
   */
  escalateGap(symbol: string, alert: Omit<AlertInput, 'sequence' | 'now'>, now: number): void {
    this.#escalate(symbol, alert, now);
  }

  /** The feed recovered: its triggers may escalate again in the next outage. */
  feedRecovered(symbol: string): void {
    const escalated = this.#memory.get(symbol)?.escalated;
    escalated?.delete(EscalationTrigger.FeedOffline);
    escalated?.delete(EscalationTrigger.SourceUnavailable);
  }

  /**
   * Judges `symbol` at `now` (epoch ms) on its feed and its base series' score; each trigger
   * that fires and was not escalated yet raises one critical alert. A trigger that stopped
   * firing may fire again later (`source_unavailable` is cleared only by
   * {@link EscalationTracker.feedRecovered}).
   */
  evaluate(symbol: string, feedOffline: boolean, score: number | undefined, now: number): void {
    const memory = this.#memory.get(symbol);
    // Nothing escalated and no input that could escalate (the usual case, for every symbol every cycle).
    const calm = !feedOffline && (score === undefined || score >= this.#config.qualityBelow);
    if (calm && (memory === undefined || memory.escalated.size === 0)) return;
    const decision = calm
      ? { reasons: [] }
      : evaluateEscalation({ now, symbol, feedOffline, ...(score === undefined ? {} : { qualityScore: score }) }, this.#config);
    const kept = memory ?? this.#of(symbol);
    const active = new Set(decision.reasons.map((r) => r.trigger));
    for (const trigger of [...kept.escalated]) {
      if (!active.has(trigger) && trigger !== EscalationTrigger.SourceUnavailable) kept.escalated.delete(trigger);
    }
    const fresh = decision.reasons.filter((r) => !kept.escalated.has(r.trigger));
    if (fresh.length === 0) return;
    for (const reason of fresh) kept.escalated.add(reason.trigger);
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

  /** What a checkpoint keeps of `symbol`: the triggers escalated. */
  toJSON(symbol: string): EscalationTrigger[] {
    return [...(this.#memory.get(symbol)?.escalated ?? [])];
  }

  /** Puts a checkpoint's escalated triggers of `symbol` back; unknown trigger names are dropped. */
  restore(symbol: string, escalated: readonly string[]): void {
    this.#memory.set(symbol, { escalated: new Set(escalated.filter(isTrigger)) });
  }

  /** Raises `alert` and emits `escalation` with it. */
  #escalate(symbol: string, alert: Omit<AlertInput, 'sequence' | 'now'>, now: number): void {
    const raised = this.#alerts.raise(alert, now);
    this.#emitter.emit('escalation', { symbol, reasons: [alert.message], alert: raised });
  }

  #of(symbol: string): Memory {
    let memory = this.#memory.get(symbol);
    if (memory === undefined) {
      memory = { escalated: new Set() };
      this.#memory.set(symbol, memory);
    }
    return memory;
  }
}
