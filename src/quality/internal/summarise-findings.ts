/**
 * Summaries of per-bar results as `QualityFinding`s (one per rule, with count and first and
 * last timestamps). Never exported from the package.
 */
import type { AlertSeverity } from '../../schemas/alert-schema.js';
import type { QualityIssueType } from '../../schemas/quality-report-schema.js';
import type { Timeframe } from '../../time/timeframe.js';
import type { QualityFinding } from '../quality-finding.js';

/** Where findings are stamped: symbol and timeframe when known. */
export interface FindingContext {
  readonly symbol?: string | undefined;
  readonly timeframe?: Timeframe | undefined;
}

/** The `symbol` and `timeframe` properties of a finding, omitted when unknown. */
export function contextFields(context: FindingContext): Pick<QualityFinding, 'symbol' | 'timeframe'> {
  return {
    ...(context.symbol === undefined ? {} : { symbol: context.symbol }),
    ...(context.timeframe === undefined ? {} : { timeframe: context.timeframe }),
  };
}

/** The `timestamp` and `endTimestamp` of a finding, omitted when not finite. */
export function timeFields(first: number, last: number): Pick<QualityFinding, 'timestamp' | 'endTimestamp'> {
  return {
    ...(Number.isFinite(first) ? { timestamp: first } : {}),
    ...(Number.isFinite(last) ? { endTimestamp: last } : {}),
  };
}

interface Group {
  count: number;
  first: number;
  last: number;
}

/**
 * One finding per distinct `rule` of `items`, in order of first appearance: how many items
 * broke it, and the smallest and largest finite timestamps among them.
 */
export function summarise<R extends QualityFinding['rule']>(
  items: readonly { readonly rule: R; readonly timestamp: number }[],
  type: QualityIssueType,
  severity: AlertSeverity,
  context: FindingContext,
  describe: (rule: R, count: number) => string,
): QualityFinding[] {
  const groups = new Map<R, Group>();
  for (const item of items) {
    let group = groups.get(item.rule);
    if (group === undefined) {
      group = { count: 0, first: Number.NaN, last: Number.NaN };
      groups.set(item.rule, group);
    }
    group.count++;
    const t = item.timestamp;
    if (Number.isFinite(t)) {
      if (!(t >= group.first)) group.first = t;
      if (!(t <= group.last)) group.last = t;
    }
  }
  const findings: QualityFinding[] = [];
  for (const [rule, group] of groups) {
    findings.push({
      type,
      rule,
      severity,
      ...contextFields(context),
      ...timeFields(group.first, group.last),
      count: group.count,
      message: describe(rule, group.count),
    });
  }
  return findings;
}
