import { isoTime } from '../internal/iso-utc.js';
import { requireFinite, resolveSection } from '../internal/options.js';
import { DEFAULT_ESCALATION, EscalationConfigSchema, type EscalationConfig } from '../schemas/config.js';
import type { Timeframe } from '../time/timeframe.js';
import { EscalationTrigger } from './escalation-trigger.js';

/**
 * A gap as escalation sees it: a `MissingRun` of `checkCompleteness` (its `criticalGaps`) or a
 * `QualityFinding` of rule `critical_gap` fit as they are.
 */
export interface EscalationGap {
  /** Open time of the first missing bar, epoch ms. */
  readonly timestamp?: number;
  /**
   * Open time of the last missing bar, epoch ms: what "recent" is judged on. The run's end,
   * **inclusive**, as in `MissingRun` (from a `Gap`, which ends exclusive: `lastMissingOpen` in `gaps/`).
   */
  readonly endTimestamp?: number;
  /** Missing bars. */
  readonly count: number;
  /** Timeframe, for the reason text. */
  readonly timeframe?: Timeframe;
  /** Symbol, for the reason text. */
  readonly symbol?: string;
}

/** A source that is not answering. */
export interface UnavailableSource {
  /** The source's name. */
  readonly source: string;
  /** When it stopped answering, epoch ms. */
  readonly since: number;
}

/**
 * What escalation is judged on: a snapshot the caller (usually the pipeline) assembles from
 * its feed state, the latest quality score and the latest completeness check.
 */
export interface EscalationState {
  /** The current time, epoch ms. */
  readonly now: number;
  /**
   * Whether the data feed is offline: no source delivers and the failover protocol has
   * halted (cached data served or nothing at all).
   * @defaultValue false
   */
  readonly feedOffline?: boolean;
  /** The latest weighted quality score in [0, 1]; absent when not scored yet. A NaN score escalates. */
  readonly qualityScore?: number;
  /** Critical gaps found in the data (for example `checkCompleteness(...).criticalGaps`); only recent ones count. */
  readonly criticalGaps?: readonly EscalationGap[];
  /** Sources currently unavailable, with the time each went down. */
  readonly unavailableSources?: readonly UnavailableSource[];
  /** Symbol, for the reason texts. */
  readonly symbol?: string;
}

/** One trigger that fired. */
export interface EscalationReason {
  /** Which trigger. */
  readonly trigger: EscalationTrigger;
  /** Human-readable reason with the values involved. */
  readonly reason: string;
}

/** What {@link evaluateEscalation} returns. */
export interface EscalationDecision {
  /** Whether at least one trigger fired. */
  readonly escalate: boolean;
  /** The triggers that fired, in the order of {@link EscalationTrigger}. */
  readonly reasons: readonly EscalationReason[];
}

/**
 * Decides whether to escalate to the trading coordinator, by the specification's four
 * triggers: the feed is offline; the quality score is below `qualityBelow` (0.8); a critical
 * gap ended within `recentGapWindowMs` (1 hour) before `now` (its reason names the longest, the
 * first given of equally long ones); a source has been unavailable
 * for more than `sourceUnavailableMs` (5 minutes). Each trigger that fires gives its reason.
 * A pure function of the snapshot: no clock, no state.
 *
 * @param state - The snapshot; see {@link EscalationState}.
 * @param config - Overrides of {@link DEFAULT_ESCALATION}.
 * @returns Whether to escalate, and why.
 * @throws {@link ConfigError} when `state.now` is not finite or the config is invalid.
 *
 * @example
 * ```ts
 * const now = Date.UTC(2025, 0, 30, 10, 30);
 * evaluateEscalation({ now, qualityScore: 0.75, unavailableSources: [{ source: 'binance', since: now - 360_000 }] })
 * // { escalate: true, reasons: [
 * //   { trigger: 'quality_below', reason: 'Quality score 0.750 is below 0.8' },
 * //   { trigger: 'source_unavailable', reason: 'Source binance unavailable for 360 s (since 2025-01-30T10:24:00.000Z; limit 300 s)' } ] }
 * ```
 */
export function evaluateEscalation(state: EscalationState, config?: Partial<EscalationConfig>): EscalationDecision {
  const options = resolveSection(EscalationConfigSchema, DEFAULT_ESCALATION, config, ['config']);
  const now = requireFinite(state.now, ['now']);
  const who = state.symbol === undefined ? '' : ` for ${state.symbol}`;
  const reasons: EscalationReason[] = [];
  if (state.feedOffline === true) {
    reasons.push({ trigger: EscalationTrigger.FeedOffline, reason: `The data feed${who} is offline` });
  }
  const score = state.qualityScore;
  if (score !== undefined && !(score >= options.qualityBelow)) {
    reasons.push({
      trigger: EscalationTrigger.QualityBelow,
      reason: Number.isNaN(score)
        ? `Quality score${who} is not a number`
        : `Quality score${who} ${score.toFixed(3)} is below ${options.qualityBelow}`,
    });
  }
  const recent = (state.criticalGaps ?? []).filter((gap) => {
    const end = gap.endTimestamp ?? gap.timestamp;
    return end !== undefined && end >= now - options.recentGapWindowMs;
  });
  if (recent.length > 0) {
    const longest = recent.reduce((a, b) => (b.count > a.count ? b : a));
    const where = longest.timeframe === undefined ? '' : ` ${longest.timeframe}`;
    reasons.push({
      trigger: EscalationTrigger.CriticalGap,
      reason: `${recent.length} critical gap${recent.length === 1 ? '' : 's'}${who} in the last ${options.recentGapWindowMs / 60_000} min; the longest is ${longest.count}${where} bars${longest.timestamp === undefined ? '' : ` from ${isoTime(longest.timestamp)}`}`,
    });
  }
  for (const source of state.unavailableSources ?? []) {
    const down = now - source.since;
    if (down > options.sourceUnavailableMs) {
      reasons.push({
        trigger: EscalationTrigger.SourceUnavailable,
        reason: `Source ${source.source} unavailable for ${Math.round(down / 1000)} s (since ${isoTime(source.since)}; limit ${options.sourceUnavailableMs / 1000} s)`,
      });
    }
  }
  return { escalate: reasons.length > 0, reasons };
}
