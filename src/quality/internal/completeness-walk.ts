/**
 * The kernel of `checkCompleteness`: one walk over a prepared series' timestamps (in time
 * order) on the timeframe grid, counting present buckets and recording the runs of missing
 * ones. Never exported from the package.
 */
import { describeOption, requireFinite } from '../../internal/options.js';
import { ConfigError } from '../../errors/config-error.js';
import type { CompletenessConfig } from '../../schemas/config.js';
import { bucketEnd } from '../../time/bucket-end.js';
import { bucketStart } from '../../time/bucket-start.js';
import { expectedBarCount } from '../../time/expected-bar-count.js';
import type { Timeframe } from '../../time/timeframe.js';
import type { Grid } from '../../time/timeframe-grid.js';
import { lastMissingOpen } from '../../gaps/last-missing-open.js';
import type { CompletenessResult, MissingRun } from '../completeness-result.js';
import { isCriticalGap } from '../is-critical-gap.js';
import { completenessResult, noDataResult } from './completeness-findings.js';
import type { PreparedSeries } from './prepared-series.js';
import type { FindingContext } from './summarise-findings.js';

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
 * The completeness kernel: walks the prepared series' timestamps, in time order, over the
 * window `[start, end)` (by default from the oldest bar's bucket to the newest bar's bucket's
 * end) on the timeframe grid.
 *
 * @param series - The prepared bars.
 * @param givenStart - Window start, epoch ms, inclusive, as given (checked here).
 * @param givenEnd - Window end, epoch ms, exclusive, as given (checked here).
 * @param grid - The timeframe's grid.
 * @param config - The resolved completeness configuration.
 * @param context - Stamped on the findings.
 * @returns The completeness result.
 * @throws {@link ConfigError} for a non-finite `start`/`end` or `end <= start`.
 */
export function measureCompleteness(
  series: PreparedSeries,
  givenStart: number | undefined,
  givenEnd: number | undefined,
  grid: Grid,
  config: CompletenessConfig,
  context: FindingContext,
): CompletenessResult {
  const start = givenStart === undefined ? undefined : requireFinite(givenStart, ['start']);
  const end = givenEnd === undefined ? undefined : requireFinite(givenEnd, ['end']);
  if (start !== undefined && end !== undefined && !(end > start)) {
    throw new ConfigError(`Expected \`end\` to be after \`start\` (${start}), got \`${describeOption(end)}\``, {
      path: ['end'],
      value: end,
    });
  }
  const tf = grid.tf;
  const times = series.times;
  const n = series.cols.length;
  // The window: [first bucket at or after start, end), by default the first and last bars' buckets.
  const firstT = series.oldest;
  const lastT = series.newest;
  const from = start ?? (Number.isFinite(firstT) ? bucketOf(firstT, grid) : undefined);
  const to = end ?? (Number.isFinite(lastT) ? nextBucket(bucketOf(lastT, grid), grid) : undefined);
  if (from === undefined || to === undefined || !(to > from)) return noDataResult(n, from, to, context, tf, config);
  const firstBucket = bucketOf(from, grid) === from ? from : nextBucket(bucketOf(from, grid), grid);
  // A window too short to hold a bucket's open expects nothing: nothing to score.
  if (!(firstBucket < to)) return noDataResult(n, from, to, context, tf, config);
  const runs: number[] = [];
  const counts = new Float64Array(3);
  if (grid.width > 0) walkFixed(times, n, from, to, firstBucket, grid.width, grid.origin, runs, counts);
  else walkCalendar(times, n, from, to, firstBucket, tf, runs, counts);
  const expected = expectedBarCount(from, to, tf);
  const maxGap = config.maxGapBars[tf];
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
      critical: isCriticalGap(tf, count, config),
      overLimit: maxGap !== undefined && count > maxGap,
    });
  }
  return completenessResult(expected, counts[0]!, counts[1]!, from, to, gaps, grid, firstBucket, maxGap, config, context);
}

/**
 * The kernel on a fixed grid: counts the buckets of `[firstBucket, to)` holding a bar
 * (`counts[0]`), the bars ignored (`counts[1]`) and the last present bucket (`counts[2]`),
 * and records each jump over missing buckets as a pair (bucket before, bucket after) in `runs`.
 * `times` are in time order (NaN last).
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
): void {
  let present = 0;
  let ignored = 0;
  let prev = firstBucket - w; // a virtual bucket just before the window
  for (let k = 0; k < n; k++) {
    const t = times[k]!;
    if (!(t >= from && t < to)) {
      ignored++;
      continue;
    }
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
): void {
  let present = 0;
  let ignored = 0;
  let prev = bucketStart(firstBucket - 1, tf);
  for (let k = 0; k < n; k++) {
    const t = times[k]!;
    if (!(t >= from && t < to)) {
      ignored++;
      continue;
    }
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
}

/** The bucket start just after the last bucket of the window (a virtual end marker). */
function lastBucketBefore(grid: Grid, firstBucket: number, expected: number): number {
  if (grid.width > 0) return firstBucket + expected * grid.width;
  let b = firstBucket;
  for (let k = 0; k < expected; k++) b = bucketEnd(b, grid.tf);
  return b;
}
