/**
 * The gap kernels shared by `detectGaps`, `fillGaps` and `preprocess`: one scan of the
 * timestamps for gaps and timestamp issues, a fill plan, and the fills of rows and columns.
 * Never exported from the package.
 */
import { sizeOf, GapSize } from '../gaps/classify-gap.js';
import { GapResolution, type Gap, type GapIssue, type GapReport, type MarketCalendar } from '../gaps/gap.js';
import { BarFlag, BarFlagCode } from '../schemas/bar-flag.js';
import type { GapStrategies } from '../schemas/config.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import type { OhlcvColumns } from '../schemas/ohlcv-columns.js';
import type { Grid } from '../time/timeframe-grid.js';
import { OPTIONAL_COLUMNS, type MutableColumns } from './columns.js';
import { lowerBound } from './search.js';

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

/** A fill plan: one report per gap, and how many rows it inserts in total. */
export interface FillPlan {
  readonly scan: GapScan;
  readonly reports: GapReport[];
  /** Reports that insert rows, in time order (at most one per `gap.before`). */
  readonly fills: GapReport[];
  readonly inserted: number;
}

/** Detects the gaps of `ts` and decides what to do with each. */
export function planFill(ts: ArrayLike<number>, grid: Grid, strategies: GapStrategies, calendar: MarketCalendar | undefined): FillPlan {
  const scan = scanGaps(ts, grid, calendar);
  const reports: GapReport[] = [];
  const fills: GapReport[] = [];
  let inserted = 0;
  for (const gap of scan.gaps) {
    const size = sizeOf(gap.missingBars, strategies);
    const sessionEdge = gap.start !== grid.next(ts[gap.before] as number) || gap.end !== ts[gap.after];
    const fill = size !== GapSize.Large && !sessionEdge;
    const resolution = !fill
      ? GapResolution.MarkedMissing
      : size === GapSize.Small
        ? GapResolution.Interpolated
        : GapResolution.ForwardFilled;
    const report: GapReport = {
      gap,
      size,
      resolution,
      missingBars: gap.missingBars,
      filledBars: fill ? gap.missingBars : 0,
      notify: size === GapSize.Medium,
      escalate: size === GapSize.Large,
      sessionEdge,
    };
    reports.push(report);
    if (fill) {
      fills.push(report);
      inserted += gap.missingBars;
    }
  }
  return { scan, reports, fills, inserted };
}

/** Writes the synthetic bars of `report` through `put(k, open, high, low, close)`, k = 0 … missing − 1. */
function synthesize(
  report: GapReport,
  lastClose: number,
  nextOpen: number,
  put: (k: number, open: number, high: number, low: number, close: number) => void,
): void {
  const k = report.missingBars;
  if (report.resolution === GapResolution.ForwardFilled) {
    for (let j = 0; j < k; j++) put(j, lastClose, lastClose, lastClose, lastClose);
    return;
  }
  const step = (nextOpen - lastClose) / (k + 1);
  let open = lastClose;
  for (let j = 0; j < k; j++) {
    const close = lastClose + step * (j + 1);
    put(j, open, Math.max(open, close), Math.min(open, close), close);
    open = close;
  }
}

/** The filled columns and, for each output bar, the `origin` entry of its source (−1 for a synthetic bar). */
export interface FilledColumns {
  readonly columns: MutableColumns;
  readonly origin: Int32Array;
}

/** Applies `plan` to columns. `origin` maps input bars to whatever the caller tracks (default: their index). */
export function fillColumns(
  source: OhlcvColumns,
  plan: FillPlan,
  timeframeNext: (t: number) => number,
  origin?: Int32Array,
): FilledColumns {
  const n = source.length;
  const m = n + plan.inserted;
  const out: MutableColumns = {
    length: m,
    timestamp: new Float64Array(m),
    open: new Float64Array(m),
    high: new Float64Array(m),
    low: new Float64Array(m),
    close: new Float64Array(m),
    volume: new Float64Array(m),
    flags: new Uint8Array(m),
  };
  for (const key of OPTIONAL_COLUMNS) if (source[key] !== undefined) out[key] = new Float64Array(m);
  const outOrigin = new Int32Array(m);
  const flags = out.flags as Uint8Array;
  let from = 0;
  let to = 0;
  const copy = (until: number): void => {
    const len = until - from;
    if (len <= 0) return;
    out.timestamp.set(source.timestamp.subarray(from, until), to);
    out.open.set(source.open.subarray(from, until), to);
    out.high.set(source.high.subarray(from, until), to);
    out.low.set(source.low.subarray(from, until), to);
    out.close.set(source.close.subarray(from, until), to);
    out.volume.set(source.volume.subarray(from, until), to);
    for (const key of OPTIONAL_COLUMNS) {
      const column = source[key];
      if (column !== undefined) (out[key] as Float64Array).set(column.subarray(from, until), to);
    }
    if (source.flags !== undefined) flags.set(source.flags.subarray(from, until), to);
    for (let i = from; i < until; i++) outOrigin[to + i - from] = origin === undefined ? i : (origin[i] as number);
    to += len;
    from = until;
  };
  for (const report of plan.fills) {
    const { before, after, start } = report.gap;
    copy(before + 1);
    const code = report.resolution === GapResolution.Interpolated ? BarFlagCode.Interpolated : BarFlagCode.ForwardFilled;
    const base = to;
    let t = start;
    synthesize(report, source.close[before] as number, source.open[after] as number, (k, o, h, l, c) => {
      const at = base + k;
      out.timestamp[at] = t;
      out.open[at] = o;
      out.high[at] = h;
      out.low[at] = l;
      out.close[at] = c;
      flags[at] = code;
      outOrigin[at] = -1;
      t = timeframeNext(t);
    });
    to += report.missingBars;
  }
  copy(n);
  return { columns: out, origin: outOrigin };
}

/** Applies `plan` to rows: real rows are kept as the same objects, synthetic rows are new. */
export function fillRows(rows: readonly Ohlcv[], plan: FillPlan, timeframeNext: (t: number) => number): Ohlcv[] {
  const out: Ohlcv[] = [];
  let from = 0;
  for (const report of plan.fills) {
    const { before, after, start } = report.gap;
    for (; from <= before; from++) out.push(rows[from] as Ohlcv);
    const last = rows[before] as Ohlcv;
    const flag = report.resolution === GapResolution.Interpolated ? BarFlag.Interpolated : BarFlag.ForwardFilled;
    let t = start;
    synthesize(report, last.close, (rows[after] as Ohlcv).open, (_k, open, high, low, close) => {
      const row: Ohlcv = { timestamp: t, open, high, low, close, volume: 0, flag };
      if (last.quoteVolume !== undefined) row.quoteVolume = 0;
      if (last.trades !== undefined) row.trades = 0;
      if (last.takerBuyVolume !== undefined) row.takerBuyVolume = 0;
      out.push(row);
      t = timeframeNext(t);
    });
  }
  for (; from < rows.length; from++) out.push(rows[from] as Ohlcv);
  return out;
}

/** Output indices of the first bar after each large gap, given output timestamps (ascending). */
export function breaksAfterLargeGaps(reports: readonly GapReport[], outTs: ArrayLike<number>): number[] {
  const breaks: number[] = [];
  for (const report of reports) {
    if (report.size !== GapSize.Large) continue;
    const index = lowerBound(outTs, report.gap.end);
    if (index < outTs.length && breaks[breaks.length - 1] !== index) breaks.push(index);
  }
  return breaks;
}
