import type { GapReport } from '../../gaps/gap.js';
import { isoUtc } from '../../internal/iso-utc.js';
import { isCriticalGap } from '../../quality/is-critical-gap.js';
import { TwoKeyMap } from '../../internal/two-key-map.js';
import type { CompletenessConfig } from '../../schemas/config.js';
import type { Timeframe } from '../../time/timeframe.js';
import type { AlertLog } from './alert-log.js';
import type { EscalationTracker } from './escalation-tracker.js';
import type { IssueLog } from './issue-log.js';
import type { PipelineEmitter } from './pipeline-emitter.js';

const ACTION_TAKEN: Readonly<Record<GapReport['resolution'], string>> = {
  forward_filled: 'Forward-filled and flagged',
  interpolated: 'Interpolated and flagged',
  marked_missing: 'Marked missing and excluded from features',
};

/**
 * Owns the reporting of gaps in the base timeframe, once per gap (a hole re-requested later is
 * not reported again): the `gap` event, a `gap_detected` quality issue, and an alert — a
 * warning when the gaps module's strategy says to notify; for a critical gap (by the
 * completeness rule, or large by the strategies) a critical alert that escalates, at once and
 * once, through the escalation tracker, however the gap was found.
 */
export class GapReporter {
  readonly #base: Timeframe;
  readonly #completeness: CompletenessConfig;
  readonly #issues: IssueLog;
  readonly #escalation: EscalationTracker;
  readonly #alerts: AlertLog;
  readonly #emitter: PipelineEmitter;
  /** Per symbol: start times of the base gaps already reported. */
  readonly #reported = new Map<string, Set<number>>();
  /** Per symbol and higher timeframe: start times of the gaps already reported. */
  readonly #reportedHigher = new TwoKeyMap<string, Timeframe, Set<number>>();

  constructor(
    base: Timeframe,
    completeness: CompletenessConfig,
    units: {
      readonly issues: IssueLog;
      readonly escalation: EscalationTracker;
      readonly alerts: AlertLog;
      readonly emitter: PipelineEmitter;
    },
  ) {
    this.#base = base;
    this.#completeness = completeness;
    this.#issues = units.issues;
    this.#escalation = units.escalation;
    this.#alerts = units.alerts;
    this.#emitter = units.emitter;
  }

  /** Reports a gap `fillGaps` found in `symbol`'s base bars, at `now` (epoch ms), unless it was reported before. */
  report(symbol: string, report: GapReport, now: number): void {
    const start = report.gap.start;
    let reported = this.#reported.get(symbol);
    if (reported === undefined) {
      reported = new Set();
      this.#reported.set(symbol, reported);
    }
    if (reported.has(start)) return;
    reported.add(start);
    const base = this.#base;
    this.#emitter.emit('gap', { symbol, timeframe: base, report });
    this.#issues.note(symbol, {
      timestamp: isoUtc(start),
      type: 'gap_detected',
      symbol,
      timeframe: base,
      duration_bars: report.missingBars,
      resolution: report.resolution,
    });
    // Critical by the quality module's completeness rule (1m and 5m, more than 3 bars), or large by the strategies.
    const critical = report.escalate || isCriticalGap(base, report.missingBars, this.#completeness);
    if (!critical && !report.notify) return;
    const alert = {
      severity: critical ? 'critical' : 'warning',
      type: 'gap',
      message: `${report.missingBars} ${base} bars missing for ${symbol} from ${isoUtc(start)}`,
      affected: { symbol, timeframe: base },
      actionTaken: ACTION_TAKEN[report.resolution],
      escalate: critical,
    } as const;
    if (critical) this.#escalation.escalateGap(symbol, alert, now);
    else this.#alerts.raise(alert, now);
  }

  /**
   * Reports, once, a gap in a higher timeframe: `missingBars` buckets of `tf` from `start` that
   * got no base bar (the base gap under them was marked missing, not filled). It is a quality
   * issue of that timeframe (counted in its `gaps_today`); the base gap already raised its alert.
   */
  reportHigher(symbol: string, tf: Timeframe, start: number, missingBars: number): void {
    let reported = this.#reportedHigher.get(symbol, tf);
    if (reported === undefined) {
      reported = new Set();
      this.#reportedHigher.set(symbol, tf, reported);
    }
    if (reported.has(start)) return;
    reported.add(start);
    this.#issues.note(symbol, {
      timestamp: isoUtc(start),
      type: 'gap_detected',
      symbol,
      timeframe: tf,
      duration_bars: missingBars,
      resolution: 'marked_missing',
    });
  }
}
