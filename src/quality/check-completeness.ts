import { looseColumns } from '../internal/columns.js';
import { timeOrder } from '../internal/time-order.js';
import { contextFields } from './internal/summarise-findings.js';
import { isoTime } from '../internal/iso-utc.js';
import { describeOption, requireFinite, requireTimeframe, resolveSection } from '../internal/options.js';
import { ConfigError } from '../errors/config-error.js';
import { AlertSeverity } from '../schemas/alert-schema.js';
import { CompletenessConfigSchema, DEFAULT_COMPLETENESS, type CompletenessConfig } from '../schemas/config.js';
import type { OhlcvSeries } from '../schemas/ohlcv-columns.js';
import { QualityIssueType } from '../schemas/quality-report-schema.js';
import { bucketEnd } from '../time/bucket-end.js';
import { bucketStart } from '../time/bucket-start.js';
import { expectedBarCount } from '../time/expected-bar-count.js';
import { DAY_MS, type Timeframe } from '../time/timeframe.js';
import { QualityCheck, type QualityFinding } from './quality-finding.js';
import { gridOf, type Grid } from '../time/timeframe-grid.js';
import { lastMissingOpen } from '../gaps/last-missing-open.js';

/** Options of {@link checkCompleteness}. */
export interface CheckCompletenessOptions {
  /** The bars' timeframe: the grid of expected open times. ccxt spellings are accepted. */
  readonly timeframe: Timeframe;
  /**
   * Start of the window, epoch ms, inclusive: bars are expected from the first bucket
   * starting at or after it.
   * @defaultValue the open time of the first bar's bucket
   */
  readonly start?: number;
  /**
   * End of the window, epoch ms, exclusive.
   * @defaultValue the close time of the last bar's bucket
   */
  readonly end?: number;
  /** Overrides of {@link DEFAULT_COMPLETENESS}. */
  readonly config?: Partial<CompletenessConfig>;
  /** Stamped on the findings. */
  readonly symbol?: string;
}

/** A run of consecutive missing bars on the timeframe grid. */
export interface MissingRun {
  /** Open time of the first missing bar, epoch ms. */
  readonly timestamp: number;
  /**
   * Open time of the last missing bar, epoch ms: the run's end, **inclusive** (a `Gap` of
   * `detectGaps` ends exclusive; `lastMissingOpen` in `gaps/` is the one conversion).
   */
  readonly endTimestamp: number;
  /** Missing bars in the run (at least 1). */
  readonly count: number;
  /** Longer than `criticalGapBars` on a critical timeframe (1m and 5m: more than 3 bars). */
  readonly critical: boolean;
  /** Longer than the timeframe's `maxGapBars` (1m 5, 5m 2, 1H 1). */
  readonly overLimit: boolean;
}

/** Missing bars of one UTC day, for the daily standard. */
export interface DailyMissing {
  /** The day's start (00:00 UTC), epoch ms. */
  readonly day: number;
  /** Bars expected that day inside the window. */
  readonly expected: number;
  /** Bars missing that day. */
  readonly missing: number;
  /** `missing / expected`, a fraction. */
  readonly share: number;
}

/** What {@link checkCompleteness} returns. */
export interface CompletenessResult {
  /** `present / expected` in [0, 1]; 0 when nothing is expected (an empty series without a window). */
  readonly score: number;
  /** Window start used (epoch ms, inclusive); absent for an empty series without `start`. */
  readonly start?: number;
  /** Window end used (epoch ms, exclusive); absent for an empty series without `end`. */
  readonly end?: number;
  /** Bars expected on the grid inside the window. */
  readonly expected: number;
  /** Grid buckets inside the window holding at least one bar (duplicates count once). */
  readonly present: number;
  /** `expected − present`. */
  readonly missing: number;
  /** `missing / expected`, a fraction (0 when nothing is expected). */
  readonly missingShare: number;
  /** Bars outside the window or with a non-finite timestamp, not counted. */
  readonly ignored: number;
  /** Every run of missing bars, in time order (leading and trailing runs included). */
  readonly gaps: readonly MissingRun[];
  /** Length of the longest run, in bars (0 without gaps). */
  readonly longestGap: number;
  /** The timeframe's maximum run (`maxGapBars`); absent when the configuration sets none. */
  readonly maxGapBars?: number;
  /** Whether no run is longer than `maxGapBars` (true when there is no maximum). */
  readonly withinMaxGap: boolean;
  /** Runs that are critical. */
  readonly criticalGaps: readonly MissingRun[];
  /**
   * UTC days whose missing share exceeds `maxMissingShareDaily` (1 %). Judged for intraday
   * timeframes only (below 1D, where a day holds more than one bar), and not for windows
   * longer than 40,000 days (which only implausible timestamps produce).
   */
  readonly daysOverLimit: readonly DailyMissing[];
  /** Whether no day exceeds the daily standard. */
  readonly meetsDailyStandard: boolean;
  /** One `gap_detected` finding per run (rule `gap`, `max_gap_bars` or `critical_gap`), one per day over the limit, or `no_data`. */
  readonly issues: readonly QualityFinding[];
}

/** Windows longer than this (about 110 years: implausible timestamps) skip the daily standard. */
const MAX_DAILY_SPAN_MS = 40_000 * DAY_MS;

function bucketOf(t: number, grid: Grid): number {
  return grid.width > 0 ? Math.floor((t - grid.origin) / grid.width) * grid.width + grid.origin : bucketStart(t, grid.tf);
}

function nextBucket(b: number, grid: Grid): number {
  return grid.width > 0 ? b + grid.width : bucketEnd(b, grid.tf);
}

/** Buckets strictly between two bucket starts `a < b`. */
function between(a: number, b: number, grid: Grid): number {
  return grid.width > 0 ? Math.round((b - a) / grid.width) - 1 : expectedBarCount(a, b, grid.tf) - 1;
}

/**
 * The completeness metric: bars expected on the timeframe grid against bars present, every
 * run of missing bars with its length against the per-timeframe maximum (`maxGapBars`: 1m 5,
 * 5m 2, 1H 1), critical gaps (more than `criticalGapBars` = 3 bars on 1m and 5m), and the
 * daily standard (at most `maxMissingShareDaily` = 1 % of a UTC day's bars missing).
 * Score = present / expected.
 *
 * Bars are placed in the bucket containing their timestamp (a bar a few ms late still fills
 * its bucket; alignment is judged by `checkConsistency`); duplicates fill one bucket; order
 * does not matter. Bars with a non-finite timestamp or outside the window are ignored.
 *
 * @param bars - Rows or columns; not modified.
 * @param options - See {@link CheckCompletenessOptions}.
 * @returns The score, counts, the runs of missing bars and findings.
 * @throws {@link ConfigError} for an unknown timeframe, a non-finite `start`/`end`, `end <= start`, or an invalid config.
 *
 * @example
 * ```ts
 * const t = Date.UTC(2025, 0, 30);
 * const bar = (m: number) => ({ timestamp: t + m * 60_000, open: 1, high: 1, low: 1, close: 1, volume: 1 });
 * const result = checkCompleteness([bar(0), bar(1), bar(6)], { timeframe: '1m' });
 * result.score    // 3 / 7 ≈ 0.4286
 * result.gaps     // [{ timestamp: t + 120000, endTimestamp: t + 300000, count: 4, critical: true, overLimit: false }]
 * ```
 */
export function checkCompleteness(bars: OhlcvSeries, options: CheckCompletenessOptions): CompletenessResult {
  const tf = requireTimeframe(options.timeframe, ['timeframe']);
  const config = resolveSection(CompletenessConfigSchema, DEFAULT_COMPLETENESS, options.config, ['config']);
  const start = options.start === undefined ? undefined : requireFinite(options.start, ['start']);
  const end = options.end === undefined ? undefined : requireFinite(options.end, ['end']);
  if (start !== undefined && end !== undefined && !(end > start)) {
    throw new ConfigError(`Expected \`end\` to be after \`start\` (${start}), got \`${describeOption(end)}\``, {
      path: ['end'],
      value: end,
    });
  }
  const grid = gridOf(tf);
  const context = { symbol: options.symbol, timeframe: tf };
  const cols = looseColumns(bars);
  const n = cols.length;
  // Assume time order (one pass); a walk that meets a time before the previous one returns
  // false, and the bars are walked again in sorted order.
  let result = walkWindow(cols.timestamp, n, start, end, grid, config, context);
  if (result === undefined) {
    const order = timeOrder(cols.timestamp, n);
    const times = new Float64Array(n);
    for (let k = 0; k < n; k++) times[k] = cols.timestamp[order === undefined ? k : order[k]!]!;
    // In order now, so this walk completes.
    result = walkWindow(times, n, start, end, grid, config, context);
  }
  return result ?? emptyResult(n, start, end, context, tf, config);
}

/** Walks `times` (assumed in order) over the window; `undefined` when they are not in order. */
function walkWindow(
  times: Float64Array,
  n: number,
  start: number | undefined,
  end: number | undefined,
  grid: Grid,
  config: CompletenessConfig,
  context: { readonly symbol: string | undefined; readonly timeframe: Timeframe },
): CompletenessResult | undefined {
  const tf = grid.tf;
  // The window: [first bucket at or after start, end), by default the first and last bars' buckets.
  let firstT = Number.NaN;
  let lastT = Number.NaN;
  for (let k = 0; k < n && Number.isNaN(firstT); k++) if (Number.isFinite(times[k]!)) firstT = times[k]!;
  for (let k = n - 1; k >= 0 && Number.isNaN(lastT); k--) if (Number.isFinite(times[k]!)) lastT = times[k]!;
  const from = start ?? (Number.isFinite(firstT) ? bucketOf(firstT, grid) : undefined);
  const to = end ?? (Number.isFinite(lastT) ? nextBucket(bucketOf(lastT, grid), grid) : undefined);
  if (from === undefined || to === undefined || !(to > from)) {
    // A window read from the ends of unordered bars may be empty: order them first.
    if ((start === undefined || end === undefined) && !inOrder(times, n)) return undefined;
    return emptyResult(n, from, to, context, tf, config);
  }
  const firstBucket = bucketOf(from, grid) === from ? from : nextBucket(bucketOf(from, grid), grid);
  const runs: number[] = [];
  const counts = new Float64Array(3);
  const ordered =
    grid.width > 0
      ? walkFixed(times, n, from, to, firstBucket, grid.width, grid.origin, runs, counts)
      : walkCalendar(times, n, from, to, firstBucket, tf, runs, counts);
  if (!ordered) return undefined;
  const expected = expectedBarCount(from, to, tf);
  const maxGap = config.maxGapBars[tf];
  const critical = config.criticalTimeframes.includes(tf);
  // Trailing run: buckets after the last present one that still start before `to`.
  runs.push(counts[2]!, lastBucketBefore(grid, firstBucket, expected));
  const gaps: MissingRun[] = [];
  for (let k = 0; k < runs.length; k += 2) {
    const after = runs[k]!;
    const before = runs[k + 1]!;
    const count = between(after, before, grid);
    if (count <= 0) continue;
    gaps.push({
      timestamp: nextBucket(after, grid),
      endTimestamp: lastMissingOpen(before, grid.tf),
      count,
      critical: critical && count > config.criticalGapBars,
      overLimit: maxGap !== undefined && count > maxGap,
    });
  }
  return finish(expected, counts[0]!, counts[1]!, from, to, gaps, grid, firstBucket, maxGap, config, context);
}

/** Whether the finite times are in non-decreasing order. */
function inOrder(times: Float64Array, n: number): boolean {
  let prev = -Infinity;
  for (let k = 0; k < n; k++) {
    const t = times[k]!;
    if (t < prev) return false;
    if (!Number.isNaN(t)) prev = t;
  }
  return true;
}

/**
 * The kernel on a fixed grid: counts the buckets of `[firstBucket, to)` holding a bar
 * (`counts[0]`), the bars ignored (`counts[1]`) and the last present bucket (`counts[2]`),
 * and records each jump over missing buckets as a pair (bucket before, bucket after) in `runs`.
 * Returns false as soon as a time is earlier than the previous one.
 */
function walkFixed(
  times: Float64Array,
  n: number,
  from: number,
  to: number,
  firstBucket: number,
  w: number,
  origin: number,
  runs: number[],
  counts: Float64Array,
): boolean {
  let present = 0;
  let ignored = 0;
  let prev = firstBucket - w; // a virtual bucket just before the window
  let prevT = -Infinity;
  for (let k = 0; k < n; k++) {
    const t = times[k]!;
    if (t < prevT) return false;
    if (!(t >= from && t < to)) {
      if (!Number.isNaN(t)) prevT = t;
      ignored++;
      continue;
    }
    prevT = t;
    // In order, a bar is almost always in the bucket after the previous one, or in the same
    // one; only after a gap is its bucket computed by division.
    const next = prev + w;
    const b = t >= next && t < next + w ? next : t >= prev && t < next ? prev : Math.floor((t - origin) / w) * w + origin;
    if (b < firstBucket) {
      ignored++;
      continue;
    }
    if (b === prev) continue;
    present++;
    if (b !== next) runs.push(prev, b);
    prev = b;
  }
  counts[0] = present;
  counts[1] = ignored;
  counts[2] = prev;
  return true;
}

/** {@link walkFixed} for calendar months. */
function walkCalendar(
  times: Float64Array,
  n: number,
  from: number,
  to: number,
  firstBucket: number,
  tf: Timeframe,
  runs: number[],
  counts: Float64Array,
): boolean {
  let present = 0;
  let ignored = 0;
  let prev = bucketStart(firstBucket - 1, tf);
  let prevT = -Infinity;
  for (let k = 0; k < n; k++) {
    const t = times[k]!;
    if (t < prevT) return false;
    if (!(t >= from && t < to)) {
      if (!Number.isNaN(t)) prevT = t;
      ignored++;
      continue;
    }
    prevT = t;
    const b = bucketStart(t, tf);
    if (b < firstBucket) {
      ignored++;
      continue;
    }
    if (b === prev) continue;
    present++;
    if (b !== bucketEnd(prev, tf)) runs.push(prev, b);
    prev = b;
  }
  counts[0] = present;
  counts[1] = ignored;
  counts[2] = prev;
  return true;
}

/** The bucket start just after the last bucket of the window (a virtual end marker). */
function lastBucketBefore(grid: Grid, firstBucket: number, expected: number): number {
  if (grid.width > 0) return firstBucket + expected * grid.width;
  let b = firstBucket;
  for (let k = 0; k < expected; k++) b = bucketEnd(b, grid.tf);
  return b;
}

function finish(
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
  context: { readonly symbol: string | undefined; readonly timeframe: Timeframe },
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

function emptyResult(
  n: number,
  from: number | undefined,
  to: number | undefined,
  context: { readonly symbol: string | undefined; readonly timeframe: Timeframe },
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
