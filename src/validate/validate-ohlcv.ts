import { requireTimeframe, showValue } from '../internal/options.js';
import { numberOrNaN } from '../internal/columns.js';
import { readSeries } from '../internal/series-input.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import { isOhlcvColumns, type OhlcvColumns, type OhlcvSeries } from '../schemas/ohlcv-columns.js';
import { isAligned } from '../time/is-aligned.js';
import type { Timeframe } from '../time/timeframe.js';
import { MAX_PLAUSIBLE_MS, MIN_PLAUSIBLE_MS } from '../time/to-epoch-ms.js';
import { OhlcvRule } from './ohlcv-rule.js';
import { IssueSeverity, type ValidationIssue, type ValidationResult } from './validation-issue.js';
import { gridOf } from '../time/timeframe-grid.js';

/** No timeframe: no grid to check. */
const NO_GRID = { width: 0, origin: 0 } as const;

/** Options of {@link validateOhlcv}. */
export interface ValidateOhlcvOptions {
  /**
   * The bars' timeframe. When given, every timestamp must also be the open time of one of its
   * buckets (`timestamp_aligned`). ccxt spellings such as `1h` are accepted.
   * @defaultValue undefined (alignment not checked)
   */
  readonly timeframe?: Timeframe;
}

/** The timeframe grid and time bounds, computed once per call (the kernels start with their loop). */
interface Grid {
  /** Bucket width in ms; 0 for no timeframe or the calendar month. */
  readonly width: number;
  readonly perWidth: number;
  readonly origin: number;
  readonly monthly: boolean;
  readonly minTime: number;
  readonly maxTime: number;
}

type Row = Partial<Record<keyof Ohlcv, unknown>> | null | undefined;

const FIELDS = ['timestamp', 'open', 'high', 'low', 'close', 'volume'] as const;

function push(issues: ValidationIssue<OhlcvRule>[], rule: OhlcvRule, index: number, timestamp: number, message: string): void {
  issues.push({ rule, index, timestamp, severity: IssueSeverity.Error, message });
}

/**
 * The slow path, taken only by a bar that failed the fast combined test: finds which rules
 * it broke and records one issue per rule. Returns whether the bar broke any rule.
 */
function judge(
  issues: ValidationIssue<OhlcvRule>[],
  i: number,
  t: number,
  o: number,
  h: number,
  l: number,
  c: number,
  v: number,
  prev: number,
  grid: Grid,
  tf: Timeframe | undefined,
  row: Row | false,
): boolean {
  const before = issues.length;
  if (!(Number.isFinite(t) && Number.isFinite(o) && Number.isFinite(h) && Number.isFinite(l) && Number.isFinite(c) && Number.isFinite(v))) {
    const values = [t, o, h, l, c, v];
    const bad: string[] = [];
    for (let k = 0; k < FIELDS.length; k++) {
      const value = values[k] ?? Number.NaN;
      if (!Number.isFinite(value)) {
        const field = FIELDS[k] ?? 'timestamp';
        bad.push(`${field} is ${row === false ? String(value) : showValue(row?.[field])}`);
      }
    }
    push(issues, OhlcvRule.FiniteValues, i, t, `Bar ${i}: ${bad.join(', ')}`);
  }
  const pricesFinite = Number.isFinite(o) && Number.isFinite(h) && Number.isFinite(l) && Number.isFinite(c);
  if (pricesFinite) {
    if (!(h >= l)) push(issues, OhlcvRule.HighGteLow, i, t, `Bar ${i}: high ${h} is below low ${l}`);
    if (!(h >= o && h >= c)) {
      push(issues, OhlcvRule.HighGteOpenClose, i, t, `Bar ${i}: high ${h} is below max(open ${o}, close ${c})`);
    }
    if (!(l <= o && l <= c)) {
      push(issues, OhlcvRule.LowLteOpenClose, i, t, `Bar ${i}: low ${l} is above min(open ${o}, close ${c})`);
    }
  }
  if (Number.isFinite(v) && v < 0) {
    push(issues, OhlcvRule.VolumeNonNegative, i, t, `Bar ${i}: volume ${v} is negative`);
  }
  if (Number.isFinite(t)) {
    if (Number.isFinite(prev) && !(t > prev)) {
      push(
        issues,
        OhlcvRule.TimestampAscending,
        i,
        t,
        `Bar ${i}: timestamp ${t} is ${t === prev ? 'equal to' : 'before'} the previous bar's ${prev}`,
      );
    }
    if (!Number.isInteger(t) || t < MIN_PLAUSIBLE_MS || t >= MAX_PLAUSIBLE_MS) {
      const hint = t >= MIN_PLAUSIBLE_MS / 1000 && t < MAX_PLAUSIBLE_MS / 1000 ? ' (seconds?)' : '';
      push(issues, OhlcvRule.TimestampPlausible, i, t, `Bar ${i}: timestamp ${t} is not an integer epoch-ms time in 1990–2100${hint}`);
    } else if (tf !== undefined && !(grid.width > 0 ? (t - grid.origin) % grid.width === 0 : isAligned(t, tf))) {
      push(issues, OhlcvRule.TimestampAligned, i, t, `Bar ${i}: timestamp ${t} is not the open time of a ${tf} bucket`);
    }
  }
  return issues.length > before;
}

/** The column kernel; returns the number of invalid bars. */
function scanColumns(bars: OhlcvColumns, issues: ValidationIssue<OhlcvRule>[], grid: Grid, tf: Timeframe | undefined): number {
  const { width, perWidth, origin, monthly, minTime, maxTime } = grid;
  const n = bars.length;
  const ts = bars.timestamp;
  const open = bars.open;
  const high = bars.high;
  const low = bars.low;
  const close = bars.close;
  const volume = bars.volume;
  let invalid = 0;
  let prev = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = ts[i]!;
    const o = open[i]!;
    const h = high[i]!;
    const l = low[i]!;
    const c = close[i]!;
    const v = volume[i]!;
    // Every comparison is false for NaN, so NaN anywhere fails this test; `h >= l` follows
    // from the first four, and the two bounds catch ±Infinity (o and c lie between l and h).
    // Alignment multiplies by the reciprocal and rounds (no `%`, a slow call for doubles):
    // the comparison is exact, so a misaligned time never passes. Calendar months always
    // take the slow path (their check calls date-fns, which would slow this loop down).
    if (
      h >= o &&
      h >= c &&
      l <= o &&
      l <= c &&
      h < Infinity &&
      l > -Infinity &&
      v >= 0 &&
      v < Infinity &&
      t > prev &&
      t >= minTime &&
      t < maxTime &&
      (width > 0 ? Math.round((t - origin) * perWidth) * width === t - origin : !monthly && Math.floor(t) === t)
    ) {
      prev = t;
      continue;
    }
    if (judge(issues, i, t, o, h, l, c, v, prev, grid, tf, false)) invalid++;
    if (Number.isFinite(t)) prev = t;
  }
  return invalid;
}

/** The row kernel: reads each field once, non-numbers as NaN; returns the number of invalid bars. */
function scanRows(rows: readonly Ohlcv[], issues: ValidationIssue<OhlcvRule>[], grid: Grid, tf: Timeframe | undefined): number {
  const { width, perWidth, origin, monthly, minTime, maxTime } = grid;
  const n = rows.length;
  let invalid = 0;
  let prev = -Infinity;
  for (let i = 0; i < n; i++) {
    const row = rows[i] as Row;
    const t = numberOrNaN(row?.timestamp);
    const o = numberOrNaN(row?.open);
    const h = numberOrNaN(row?.high);
    const l = numberOrNaN(row?.low);
    const c = numberOrNaN(row?.close);
    const v = numberOrNaN(row?.volume);
    if (
      h >= o &&
      h >= c &&
      l <= o &&
      l <= c &&
      h < Infinity &&
      l > -Infinity &&
      v >= 0 &&
      v < Infinity &&
      t > prev &&
      t >= minTime &&
      t < maxTime &&
      (width > 0 ? Math.round((t - origin) * perWidth) * width === t - origin : !monthly && Math.floor(t) === t)
    ) {
      prev = t;
      continue;
    }
    if (judge(issues, i, t, o, h, l, c, v, prev, grid, tf, row)) invalid++;
    if (Number.isFinite(t)) prev = t;
  }
  return invalid;
}

/**
 * Checks every bar against the OHLCV rules of {@link OhlcvRule}: the specification's five
 * (`high_gte_low`, `high_gte_open_close`, `low_lte_open_close`, `volume_non_negative`,
 * `timestamp_ascending`), `finite_values`, `timestamp_plausible` and, when a timeframe is
 * given, `timestamp_aligned`. Never throws on data: `null`, missing and non-numeric fields of
 * rows (such as the `null` volume of mark-price candles) break `finite_values`, and so does a
 * row that is not an object (`null`, a hole of a sparse array). Columns whose `length` is not a
 * count of bars or exceeds an array's length (or whose fields are not `Float64Array`s) are not
 * read: one `malformed_columns` issue at index -1, `valid: false`, both counts 0.
 *
 * One pass over the bars with no allocation for a good bar; an issue is allocated only for a
 * broken rule. Rows are read as they are (not converted); columns are never copied.
 *
 * @param bars - Rows or `OhlcvColumns`; not modified.
 * @param options - See {@link ValidateOhlcvOptions}.
 * @returns Counts of valid and invalid bars and one issue per broken rule, in bar order.
 * @throws {@link ConfigError} when `options.timeframe` is not a timeframe.
 *
 * @example
 * ```ts
 * const t = Date.UTC(2025, 0, 30, 10, 29);
 * validateOhlcv([{ timestamp: t, open: 10, high: 9, low: 8, close: 9, volume: 1 }]);
 * // { valid: false, validCount: 0, invalidCount: 1, issues: [{ rule: 'high_gte_open_close',
 * //   index: 0, timestamp: t, severity: 'error', message: 'Bar 0: high 9 is below max(open 10, close 9)' }] }
 * ```
 */
export function validateOhlcv(bars: OhlcvSeries, options: ValidateOhlcvOptions = {}): ValidationResult<OhlcvRule> {
  const tf = options.timeframe === undefined ? undefined : requireTimeframe(options.timeframe, ['timeframe']);
  // A fixed grid is checked inline by arithmetic; the calendar month through `isAligned`.
  const { width, origin } = tf === undefined ? NO_GRID : gridOf(tf);
  const grid: Grid = {
    width,
    perWidth: width > 0 ? 1 / width : 0,
    origin,
    monthly: tf === '1M',
    minTime: MIN_PLAUSIBLE_MS,
    maxTime: MAX_PLAUSIBLE_MS,
  };
  const issues: ValidationIssue<OhlcvRule>[] = [];
  if (isOhlcvColumns(bars)) {
    // `length` is checked against the arrays once, here; the kernel then trusts it.
    const refused = readSeries(bars).defects[0];
    if (refused !== undefined) {
      push(issues, OhlcvRule.MalformedColumns, -1, Number.NaN, refused.message);
      return { valid: false, validCount: 0, invalidCount: 0, issues };
    }
  }
  const invalid = isOhlcvColumns(bars) ? scanColumns(bars, issues, grid, tf) : scanRows(bars, issues, grid, tf);
  return { valid: invalid === 0, validCount: bars.length - invalid, invalidCount: invalid, issues };
}
