/**
 * The gap-detection kernel shared by `detectGaps`, `fillGaps` and `preprocess`.
 * Never exported from the package.
 */
import type { Gap, GapIssue, MarketCalendar } from '../gaps/gap.js';
import type { Grid } from './gap-options.js';

/** What the scan found. */
export interface GapScan {
  gaps: Gap[];
  issues: GapIssue[];
}

function issue(code: GapIssue['code'], index: number, timestamp: number, message: string): GapIssue {
  return { code, path: [index, 'timestamp'], index, timestamp, message };
}

/**
 * One pass over `ts`. Sorted, aligned input takes one comparison per bar; everything else
 * (gaps, duplicates, unaligned or descending timestamps) takes the slow branch.
 */
export function scanGaps(ts: ArrayLike<number>, grid: Grid, calendar: MarketCalendar | undefined): GapScan {
  const n = ts.length;
  const gaps: Gap[] = [];
  const issues: GapIssue[] = [];
  const fastWidth = grid.width > 0 ? grid.width : Number.NaN;
  let prevIndex = -1;
  let prevT = Number.NaN;
  let lastSeen = Number.NEGATIVE_INFINITY;
  let poisoned = false;
  let descending = false;
  for (let i = 0; i < n; i++) {
    let t = ts[i] as number;
    if (t - prevT === fastWidth && !poisoned) {
      // The common case: a run of consecutive slots, scanned as tightly as a plain loop.
      let j = i + 1;
      while (j < n && (ts[j] as number) - (ts[j - 1] as number) === fastWidth) j++;
      i = j - 1;
      t = ts[i] as number;
      prevIndex = i;
      prevT = t;
      lastSeen = t;
      continue;
    }
    if (!Number.isFinite(t)) {
      issues.push(issue('timestamp_not_finite', i, t, `Bar ${i} has no finite timestamp (\`${t}\`); no gap is reported around it`));
      poisoned = true;
      continue;
    }
    if (t < lastSeen) {
      descending = true;
      issues.push(
        issue(
          'timestamp_not_ascending',
          i,
          t,
          `Bar ${i} (${t}) is earlier than the bar before it (${lastSeen}); sort the series to detect gaps`,
        ),
      );
      lastSeen = t;
      continue;
    }
    if (t === lastSeen) {
      issues.push(issue('timestamp_duplicate', i, t, `Bar ${i} repeats timestamp ${t}`));
      if (t === prevT) prevIndex = i;
      continue;
    }
    lastSeen = t;
    if (!grid.aligned(t)) {
      issues.push(
        issue(
          'timestamp_unaligned',
          i,
          t,
          `Bar ${i} (${t}) is not on the ${grid.tf} grid; the stretch from the previous to the next aligned bar is not judged`,
        ),
      );
      poisoned = true;
      continue;
    }
    if (prevIndex >= 0 && !poisoned && t > prevT) emitGaps(gaps, grid, calendar, prevIndex, prevT, i, t);
    poisoned = false;
    prevIndex = i;
    prevT = t;
  }
  return { gaps: descending ? [] : gaps, issues };
}

function emitGaps(
  gaps: Gap[],
  grid: Grid,
  calendar: MarketCalendar | undefined,
  before: number,
  beforeT: number,
  after: number,
  afterT: number,
): void {
  const first = grid.next(beforeT);
  if (first >= afterT) return;
  if (calendar === undefined) {
    gaps.push({ start: first, end: afterT, missingBars: grid.between(beforeT, afterT), before, after });
    return;
  }
  let runStart = 0;
  let runCount = 0;
  for (let s = first; s < afterT; s = grid.next(s)) {
    if (calendar(s)) {
      if (runCount === 0) runStart = s;
      runCount++;
    } else if (runCount > 0) {
      gaps.push({ start: runStart, end: s, missingBars: runCount, before, after });
      runCount = 0;
    }
  }
  if (runCount > 0) gaps.push({ start: runStart, end: afterT, missingBars: runCount, before, after });
}
