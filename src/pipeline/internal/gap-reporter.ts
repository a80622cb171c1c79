import type { GapReport } from '../../gaps/gap.js';
import { lastMissingOpen } from '../../gaps/last-missing-open.js';
import { isoUtc } from '../../internal/iso-utc.js';
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
 * not reported again): the `gap` event, a `gap_detected` quality issue, a critical gap for
 * escalation when the gap is critical, and an alert when the gaps module's strategy says to
 * notify or escalate.
 */
export class GapReporter {
  readonly #base: Timeframe;
  readonly #completeness: CompletenessConfig;
  readonly #issues: IssueLog;
  readonly #escalation: EscalationTracker;
  readonly #alerts: AlertLog;
  readonly #emitter: PipelineEmitter;
  /** Per symbol: start times of the gaps already reported. */
  readonly #reported = new Map<string, Set<number>>();

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
    const { criticalGapBars, criticalTimeframes } = this.#completeness;
    if (report.escalate || (criticalTimeframes.includes(base) && report.missingBars > criticalGapBars)) {
      this.#escalation.addCriticalGap(symbol, {
        timestamp: start,
        endTimestamp: lastMissingOpen(report.gap.end, base),
        count: report.missingBars,
        timeframe: base,
        symbol,
      });
    }
    if (report.notify || report.escalate) {
      this.#alerts.raise(
        {
          severity: report.escalate ? 'critical' : 'warning',
          type: 'gap',
          message: `${report.missingBars} ${base} bars missing for ${symbol} from ${isoUtc(start)}`,
          affected: { symbol, timeframe: base },
          actionTaken: ACTION_TAKEN[report.resolution],
          escalate: report.escalate,
        },
        now,
      );
    }
  }
}
