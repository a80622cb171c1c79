/**
 * The results of `checkCompleteness`: the counts and runs a walk found turned into a
 * `CompletenessResult` with its findings, the daily standard, and the result for a window with
 * nothing in it. Never exported from the package.
 */
import { isoTime } from '../../internal/iso-utc.js';
import { AlertSeverity } from '../../schemas/alert-schema.js';
import type { CompletenessConfig } from '../../schemas/config.js';
import { QualityIssueType } from '../../schemas/quality-report-schema.js';
import { expectedBarCount } from '../../time/expected-bar-count.js';
import { DAY_MS, type Timeframe } from '../../time/timeframe.js';
import type { Grid } from '../../time/timeframe-grid.js';
import { lastMissingOpen } from '../../gaps/last-missing-open.js';
import type { CompletenessResult, DailyMissing, MissingRun } from '../completeness-result.js';
import { QualityCheck, type QualityFinding } from '../quality-finding.js';
import { contextFields, type FindingContext } from './summarise-findings.js';

/** Windows longer than this (about 110 years: implausible timestamps) skip the daily standard. */
const MAX_DAILY_SPAN_MS = 40_000 * DAY_MS;

/**
 * The result of a completed walk: counts, the longest run, critical runs, the days over the
 * daily standard and one finding per run and per such day.
 *
 * @param expected - Buckets of the window.
 * @param present - Buckets holding at least one bar.
 * @param ignored - Bars outside the window or without a finite timestamp.
 * @param from - Window start, epoch ms, inclusive.
 * @param to - Window end, epoch ms, exclusive.
 * @param gaps - Every run of missing bars, in time order.
 * @param firstBucket - Start of the window's first bucket, epoch ms.
 */
export function completenessResult(
  expected: number,
  present: number,
  ignored: number,
  from: number,
  to: number,
  gaps: readonly MissingRun[],
  grid: Grid,
  firstBucket: number,
  maxGap: number | undefined,
  config: CompletenessConfig,
  context: FindingContext,
): CompletenessResult {
  const missing = expected - present;
  let longest = 0;
  for (const gap of gaps) if (gap.count > longest) longest = gap.count;
  const criticalGaps = gaps.filter((gap) => gap.critical);
  const daily = grid.width > 0 && grid.width < DAY_MS && to - from <= MAX_DAILY_SPAN_MS;
  const daysOverLimit = daily ? dailyOverLimit(gaps, grid, firstBucket, to, config) : [];
  const issues: QualityFinding[] = [];
  for (const gap of gaps) {
    const rule = gap.critical ? QualityCheck.CriticalGap : gap.overLimit ? QualityCheck.MaxGapBars : QualityCheck.Gap;
    const severity = gap.critical ? AlertSeverity.Critical : gap.overLimit ? AlertSeverity.Warning : AlertSeverity.Info;
    const limit = gap.critical
      ? ` (critical: more than ${config.criticalGapBars} on ${grid.tf})`
      : gap.overLimit
        ? ` (more than the ${grid.tf} maximum of ${maxGap})`
        : '';
    issues.push({
      type: QualityIssueType.GapDetected,
      rule,
      severity,
      ...contextFields(context),
      timestamp: gap.timestamp,
      endTimestamp: gap.endTimestamp,
      count: gap.count,
      message: `${gap.count} missing ${grid.tf} bar${gap.count === 1 ? '' : 's'} from ${isoTime(gap.timestamp)}${limit}`,
    });
  }
  for (const day of daysOverLimit) {
    issues.push({
      type: QualityIssueType.GapDetected,
      rule: QualityCheck.MaxMissingShareDaily,
      severity: AlertSeverity.Warning,
      ...contextFields(context),
      timestamp: day.day,
      endTimestamp: lastMissingOpen(day.day + DAY_MS, grid.tf),
      count: day.missing,
      message: `${day.missing} of ${day.expected} ${grid.tf} bars missing on ${isoTime(day.day).slice(0, 10)} (${(day.share * 100).toFixed(2)} %, limit ${config.maxMissingShareDaily * 100} %)`,
    });
  }
  return {
    score: expected > 0 ? present / expected : 0,
    start: from,
    end: to,
    expected,
    present,
    missing,
    missingShare: expected > 0 ? missing / expected : 0,
    ignored,
    gaps,
    longestGap: longest,
    ...(maxGap === undefined ? {} : { maxGapBars: maxGap }),
    withinMaxGap: maxGap === undefined || longest <= maxGap,
    criticalGaps,
    daysOverLimit,
    meetsDailyStandard: daysOverLimit.length === 0,
    issues,
  };
}

/** Missing bars per UTC day (fixed intraday grids), keeping the days over the limit. */
function dailyOverLimit(
  gaps: readonly MissingRun[],
  grid: Grid,
  firstBucket: number,
  to: number,
  config: CompletenessConfig,
): DailyMissing[] {
  const perDay = new Map<number, number>();
  for (const gap of gaps) {
    for (let day = Math.floor(gap.timestamp / DAY_MS) * DAY_MS; day <= gap.endTimestamp; day += DAY_MS) {
      const lo = Math.max(gap.timestamp, day);
      const hi = Math.min(gap.endTimestamp, day + DAY_MS - 1);
      const count = Math.floor((hi - lo) / grid.width) + 1;
      perDay.set(day, (perDay.get(day) ?? 0) + count);
    }
  }
  const over: DailyMissing[] = [];
  for (const [day, missing] of perDay) {
    const expected = expectedBarCount(Math.max(day, firstBucket), Math.min(day + DAY_MS, to), grid.tf);
    const share = expected > 0 ? missing / expected : 0;
    if (share > config.maxMissingShareDaily) over.push({ day, expected, missing, share });
  }
  return over.sort((a, b) => a.day - b.day);
}

/** The result when nothing is expected: score 0 and one `no_data` finding; `n` bars, all ignored. */
export function noDataResult(
  n: number,
  from: number | undefined,
  to: number | undefined,
  context: FindingContext,
  tf: Timeframe,
  config: CompletenessConfig,
): CompletenessResult {
  const maxGap = config.maxGapBars[tf];
  return {
    score: 0,
    ...(from === undefined ? {} : { start: from }),
    ...(to === undefined ? {} : { end: to }),
    expected: 0,
    present: 0,
    missing: 0,
    missingShare: 0,
    ignored: n,
    gaps: [],
    longestGap: 0,
    ...(maxGap === undefined ? {} : { maxGapBars: maxGap }),
    withinMaxGap: true,
    criticalGaps: [],
    daysOverLimit: [],
    meetsDailyStandard: true,
    issues: [
      {
        type: QualityIssueType.GapDetected,
        rule: QualityCheck.NoData,
        severity: AlertSeverity.Critical,
        ...contextFields(context),
        ...(from === undefined ? {} : { timestamp: from }),
        count: 0,
        message: `No ${tf} bar to score${n > 0 ? ` (${n} bar${n === 1 ? '' : 's'} without a finite timestamp)` : ''}`,
      },
    ],
  };
}
