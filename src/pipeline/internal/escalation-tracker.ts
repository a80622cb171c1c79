import type { AlertInput } from '../../reports/create-alert.js';
import type { FeedAlertInput } from '../../reports/feed-action-alert.js';
import { EscalationTrigger } from '../../quality/escalation-trigger.js';
import { evaluateEscalation } from '../../quality/evaluate-escalation.js';
import { QualityTracker } from '../../quality/quality-tracker.js';
import type { EscalationConfig } from '../../schemas/config.js';
import type { Timeframe } from '../../time/timeframe.js';
import type { AlertLog } from './alert-log.js';
import type { PipelineEmitter } from './pipeline-emitter.js';

const TRIGGERS: ReadonlySet<string> = new Set(Object.values(EscalationTrigger));

function isTrigger(value: string): value is EscalationTrigger {
  return TRIGGERS.has(value);
}

/** The shortest default re-arm time of `quality_below`, ms (5 minutes). */
const MIN_QUALITY_REARM_MS = 300_000;

/** What the tracker remembers of one symbol; a checkpoint keeps it ({@link EscalationTracker.toJSON}). */
export interface EscalationMemory {
  /** Triggers escalated and not re-armed yet. */
  readonly escalated: readonly EscalationTrigger[];
  /**
   * While `quality_below` waits to re-arm: since when (epoch ms) the score has held at or above
   * `qualityBelow`; `null` when it does not hold (or nothing waits).
   */
  readonly qualityHeldSince: number | null;
}

interface Memory {
  readonly escalated: Set<EscalationTrigger>;
  qualityHeldSince: number | null;
}

/**
 * Owns escalation: per symbol, the triggers already escalated and not re-armed (so each one
 * escalates once per episode) and how long the quality score has held since it escalated. It
 * asks `evaluateEscalation` — the quality module's rule — and raises the escalating alert and
 * the `escalation` event for each fresh trigger. Critical gaps escalate one by one when found
 * ({@link EscalationTracker.escalateGap}), not through `evaluate`.
 */
export class EscalationTracker {
  readonly #config: EscalationConfig;
  readonly #base: Timeframe;
  readonly #alerts: AlertLog;
  readonly #emitter: PipelineEmitter;
  readonly #memory = new Map<string, Memory>();

  /**
   * @param config - The resolved escalation configuration.
   * @param base - The base timeframe: its quality window is the default re-arm time of `quality_below`.
   */
  constructor(config: EscalationConfig, base: Timeframe, alerts: AlertLog, emitter: PipelineEmitter) {
    this.#config = config;
    this.#base = base;
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
   * firing may fire again later: `feed_offline` at once, `quality_below` once the score has
   * held at or above `qualityBelow` for `qualityRearmMs` (measured from the first judgement
   * that saw it hold; a missing score does not hold), `source_unavailable` only after
   * {@link EscalationTracker.feedRecovered}.
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
    this.#rearm(kept, new Set(decision.reasons.map((r) => r.trigger)), score !== undefined, now);
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

  /** What a checkpoint keeps of `symbol`. */
  toJSON(symbol: string): EscalationMemory {
    const memory = this.#memory.get(symbol);
    return { escalated: [...(memory?.escalated ?? [])], qualityHeldSince: memory?.qualityHeldSince ?? null };
  }

  /**
   * Puts a checkpoint's memory of `symbol` back; unknown trigger names are dropped. A checkpoint
   * without `qualityHeldSince` (an earlier version) starts the hold afresh.
   */
  restore(symbol: string, escalated: readonly string[], qualityHeldSince: number | null | undefined): void {
    this.#memory.set(symbol, { escalated: new Set(escalated.filter(isTrigger)), qualityHeldSince: qualityHeldSince ?? null });
  }

  /**
   * Re-arms the escalated triggers that no longer fire (`active` holds those that do):
   * `quality_below` only after its hold, `source_unavailable` never here.
   */
  #rearm(memory: Memory, active: ReadonlySet<EscalationTrigger>, scored: boolean, now: number): void {
    const { escalated } = memory;
    if (active.has(EscalationTrigger.QualityBelow) || !scored) memory.qualityHeldSince = null;
    for (const trigger of [...escalated]) {
      if (active.has(trigger) || trigger === EscalationTrigger.SourceUnavailable) continue;
      if (trigger !== EscalationTrigger.QualityBelow) {
        escalated.delete(trigger);
        continue;
      }
      if (!scored) continue;
      memory.qualityHeldSince ??= now;
      if (now - memory.qualityHeldSince >= this.#qualityRearmMs(now)) {
        escalated.delete(trigger);
        memory.qualityHeldSince = null;
      }
    }
  }

  /** How long the score must hold before `quality_below` re-arms, ms: the configured time, else the base's quality window (at least 5 min). */
  #qualityRearmMs(now: number): number {
    return this.#config.qualityRearmMs ?? Math.max(QualityTracker.windowMs(this.#base, now), MIN_QUALITY_REARM_MS);
  }

  /** Raises `alert` and emits `escalation` with it. */
  #escalate(symbol: string, alert: Omit<AlertInput, 'sequence' | 'now'>, now: number): void {
    const raised = this.#alerts.raise(alert, now);
    this.#emitter.emit('escalation', { symbol, reasons: [alert.message], alert: raised });
  }

  #of(symbol: string): Memory {
    let memory = this.#memory.get(symbol);
    if (memory === undefined) {
      memory = { escalated: new Set(), qualityHeldSince: null };
      this.#memory.set(symbol, memory);
    }
    return memory;
  }
}
