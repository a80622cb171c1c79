import { fillColumns, breaksAfterLargeGaps, planFill, type FillPlan } from '../internal/gap-kernels.js';
import { readSeries } from '../internal/series-input.js';
import { checkCalendar, requireTimeframe, resolveGapStrategies, resolveSection } from '../internal/options.js';
import { gridOf } from '../time/timeframe-grid.js';
import { gatherColumns, rowAt } from '../internal/columns.js';
import { toColumns } from '../formats/to-columns.js';
import { dedupeColumns, planDedupe, sameColumns } from './internal/dedupe-kernel.js';
import { applyOutliersToColumns, scanOutliers } from './internal/outlier-kernel.js';
import { timeOrder } from '../internal/time-order.js';
import { GapResolution, type GapIssue, type GapReport, type MarketCalendar } from '../gaps/gap.js';
import { atr, logReturns, returns } from '../indicators/index.js';
import { ConfigError } from '../errors/config-error.js';
import { BarFlagCode } from '../schemas/bar-flag.js';
import {
  DEFAULT_PREPROCESSING,
  DEFAULT_VALIDITY,
  PreprocessingConfigSchema,
  type GapStrategies,
  type PreprocessingConfig,
} from '../schemas/config.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import { isOhlcvColumns, type OhlcvColumns, type OhlcvSeries } from '../schemas/ohlcv-columns.js';
import type { Timeframe } from '../time/timeframe.js';
import type { DuplicateIssue } from './duplicate-issue.js';

/** Options of {@link preprocess}: the timeframe, plus the configuration sections it uses. */
export interface PreprocessOptions {
  /** The series' timeframe (the gap grid), a canonical name such as `'1m'`. */
  readonly timeframe: Timeframe;
  /**
   * The recipe; any subset of `PreprocessingConfig`, over `DEFAULT_PREPROCESSING`.
   *
   * @defaultValue `DEFAULT_PREPROCESSING` (dedupe keeping the last, sort, gaps by size, clip
   * outliers at 5, returns, log returns, ATR(14))
   */
  readonly preprocessing?: Partial<PreprocessingConfig>;
  /**
   * Gap size classes; any subset of `GapStrategies`.
   *
   * @defaultValue `DEFAULT_GAP_STRATEGIES` (small ≤ 3, medium ≤ 10)
   */
  readonly gaps?: Partial<GapStrategies>;
  /**
   * When the market is open; closed periods are neither gaps nor filled.
   *
   * @defaultValue always open (crypto)
   */
  readonly calendar?: MarketCalendar | undefined;
  /**
   * Returns in the outlier window (see `handleOutliers`).
   *
   * @defaultValue 100 (`DEFAULT_VALIDITY.outlierWindow`)
   */
  readonly outlierWindow?: number;
}

/** What the dedupe step did. Indices are into the input. */
export interface PreprocessDuplicates {
  /** Input indices of bars dropped (identical copies, or the losers under `first`/`last`). */
  readonly dropped: readonly number[];
  /** Input indices of bars merged into another bar (policy `merge`). */
  readonly merged: readonly number[];
  /** One issue per bar that disappeared. */
  readonly issues: readonly DuplicateIssue[];
}

/** What the gap step did. */
export interface PreprocessGaps {
  /**
   * One report per gap. Their `gap.before`/`gap.after` index the series as it was after
   * dedupe and sort (the input when it was clean); use `gap.start`/`gap.end` to locate them.
   */
  readonly reports: readonly GapReport[];
  /** Indices in the output of the inserted (interpolated or forward-filled) bars. */
  readonly filled: readonly number[];
  /** Bars inserted by interpolation. */
  readonly interpolated: number;
  /** Bars inserted by forward fill. */
  readonly forwardFilled: number;
  /** Missing bars left missing (large gaps, gaps at closed periods, or `gapHandling: 'none'`). */
  readonly markedMissing: number;
  /** Whether any report asks to notify (a medium gap). */
  readonly notify: boolean;
  /** Whether any report asks to escalate (a large gap). */
  readonly escalate: boolean;
  /** Output indices of the first bar after each large gap; features restart there. */
  readonly breaks: readonly number[];
  /** Timestamp problems that kept stretches from being judged (see `detectGaps`). */
  readonly issues: readonly GapIssue[];
}

/** What the outlier step did. */
export interface PreprocessOutliers {
  /** The method used (`none` when the step was skipped). */
  readonly method: PreprocessingConfig['outliers'];
  /** Output indices of bars clipped (they carry flag `clipped`). */
  readonly clipped: readonly number[];
  /** Input indices of bars removed as outliers. */
  readonly removed: readonly number[];
  /** Output indices of bars flagged as outliers but left unchanged (method `flag`). */
  readonly flagged: readonly number[];
}

/** Everything {@link preprocess} changed. */
export interface PreprocessReport {
  /** Bars given. */
  readonly inputBars: number;
  /** Bars returned. */
  readonly outputBars: number;
  /** The dedupe step. */
  readonly duplicates: PreprocessDuplicates;
  /** Bars that changed position when sorted (0 when the input was in order). */
  readonly reordered: number;
  /** The gap step. */
  readonly gaps: PreprocessGaps;
  /** The outlier step. */
  readonly outliers: PreprocessOutliers;
}

/** The result of {@link preprocess}. */
export interface PreprocessResult<S extends OhlcvSeries> {
  /** The clean series, of the kind given. */
  readonly bars: S;
  /** Simple returns aligned with `bars` (see `returns`); absent when `returns` is off. */
  readonly returns?: Float64Array;
  /** Log returns aligned with `bars` (see `logReturns`); absent when `logReturns` is off. */
  readonly logReturns?: Float64Array;
  /** ATR(`atrPeriod`) aligned with `bars` (see `atr`, Wilder, first-range seed); absent when `atr` is off. */
  readonly atr?: Float64Array;
  /** For each output bar, its index in the input; −1 for an inserted bar. */
  readonly sourceIndex: Int32Array;
  /** Everything that was changed. */
  readonly report: PreprocessReport;
}

/**
 * The specification's `preprocess_data`: drop duplicates (`dedupe`), sort (`sortByTime`),
 * handle gaps (`fillGaps`), handle outliers (`handleOutliers`), then the base features:
 * returns, log returns and ATR(14), computed with the `breaks` after large gaps so nothing is
 * measured across them. Every step can be switched or tuned through `preprocessing`:
 * `gapHandling: 'by_size'` applies the gap strategies, `'forward_fill'` forward-fills every
 * gap up to `mediumMaxBars`, `'none'` only reports; `outliers: 'none'` skips the outlier step.
 *
 * Steps run in the specification's order, so a bar removed as an outlier leaves a hole that
 * is not filled. Everything that changed is in `report`; the input is not modified.
 *
 * @param bars - Rows or columns, in any order.
 * @param options - See {@link PreprocessOptions}.
 * @returns The clean series (same kind), the feature columns, the source index and the report.
 * @throws {@link ConfigError} on an invalid timeframe, recipe, gap strategy, calendar or window.
 *
 * @example
 * ```ts
 * const { bars, returns, atr, report } = preprocess(rows, { timeframe: '1m' });
 * report.gaps.interpolated // bars inserted by interpolation
 * ```
 */
export function preprocess<S extends OhlcvSeries>(
  bars: S,
  options: PreprocessOptions,
): PreprocessResult<S extends OhlcvColumns ? OhlcvColumns : Ohlcv[]> {
  type Out = S extends OhlcvColumns ? OhlcvColumns : Ohlcv[];
  const grid = gridOf(requireTimeframe(options.timeframe, ['timeframe']));
  const recipe =
    options.preprocessing === undefined
      ? DEFAULT_PREPROCESSING
      : resolveSection(PreprocessingConfigSchema, DEFAULT_PREPROCESSING, options.preprocessing, ['preprocessing']);
  const strategies = resolveGapStrategies(options.gaps);
  const calendar = checkCalendar(options.calendar);
  const window: unknown = options.outlierWindow ?? DEFAULT_VALIDITY.outlierWindow;
  if (typeof window !== 'number' || !Number.isSafeInteger(window) || window < 2) {
    throw new ConfigError(`Expected \`outlierWindow\` to be an integer of at least 2, got \`${String(window)}\``, {
      path: ['outlierWindow'],
      value: window,
    });
  }

  const input: OhlcvSeries = readSeries(bars).series;
  const n = input.length;
  let columns: OhlcvColumns = toColumns(input);
  let origin: Int32Array = new Int32Array(n);
  for (let i = 0; i < n; i++) origin[i] = i;

  // 1. Duplicates.
  let duplicates: PreprocessDuplicates = { dropped: [], merged: [], issues: [] };
  let mergedSources = new Set<number>();
  if (recipe.removeDuplicates) {
    const plan = planDedupe(columns.timestamp.subarray(0, n), sameColumns(columns), recipe.duplicatePolicy);
    if (plan.issues.length > 0) {
      columns = dedupeColumns(columns, plan);
      origin = Int32Array.from(plan.pick);
      mergedSources = new Set(plan.merges.map((g) => g.members[0] as number));
      duplicates = {
        dropped: plan.issues.filter((i) => i.resolution === 'dropped').map((i) => i.index),
        merged: plan.issues.filter((i) => i.resolution === 'merged').map((i) => i.index),
        issues: plan.issues,
      };
    }
  }

  // 2. Time order.
  let reordered = 0;
  const order = timeOrder(columns.timestamp, columns.length);
  if (order !== undefined) {
    for (let k = 0; k < order.length; k++) if (order[k] !== k) reordered++;
    columns = gatherColumns(columns, order);
    origin = gatherInt(origin, order);
  }

  // 3. Gaps.
  const fillStrategies: GapStrategies =
    recipe.gapHandling === 'forward_fill' ? { smallMaxBars: 0, mediumMaxBars: strategies.mediumMaxBars } : strategies;
  let plan: FillPlan = planFill(columns.timestamp.subarray(0, columns.length), grid, fillStrategies, calendar);
  if (recipe.gapHandling === 'none') plan = leaveGaps(plan);
  if (plan.inserted > 0) {
    const filled = fillColumns(columns, plan, grid.next, origin);
    columns = filled.columns;
    origin = filled.origin;
  }
  let breaks = breaksAfterLargeGaps(plan.reports, columns.timestamp.subarray(0, columns.length));

  // 4. Outliers.
  const outliers = { method: recipe.outliers, clipped: [] as number[], removed: [] as number[], flagged: [] as number[] };
  if (recipe.outliers !== 'none') {
    const method = recipe.outliers;
    const scan = scanOutliers(columns.close, columns.flags, columns.length, recipe.outlierThreshold, window, breaks, method === 'remove');
    if (method === 'flag') outliers.flagged = scan.index;
    else if (scan.index.length > 0) {
      if (method === 'clip') outliers.clipped = scan.index;
      else {
        outliers.removed = scan.index.map((k) => origin[k] as number);
        const gone = new Set(scan.index);
        const keep = Int32Array.from({ length: columns.length }, (_, k) => k).filter((k) => !gone.has(k));
        origin = gatherInt(origin, keep);
      }
      columns = applyOutliersToColumns(columns, scan, method);
      if (method === 'remove') breaks = breaksAfterLargeGaps(plan.reports, columns.timestamp.subarray(0, columns.length));
    }
  }

  // 5. Features.
  const featureOptions = { breaks };
  const filledIndices: number[] = [];
  let interpolated = 0;
  let forwardFilled = 0;
  for (let k = 0; k < origin.length; k++) if (origin[k] === -1) filledIndices.push(k);
  let markedMissing = 0;
  for (const r of plan.reports) {
    if (r.resolution === GapResolution.Interpolated) interpolated += r.filledBars;
    else if (r.resolution === GapResolution.ForwardFilled) forwardFilled += r.filledBars;
    else markedMissing += r.missingBars;
  }
  const report: PreprocessReport = {
    inputBars: n,
    outputBars: columns.length,
    duplicates,
    reordered,
    gaps: {
      reports: plan.reports,
      filled: filledIndices,
      interpolated,
      forwardFilled,
      markedMissing,
      notify: plan.reports.some((r) => r.notify),
      escalate: plan.reports.some((r) => r.escalate),
      breaks,
      issues: plan.scan.issues,
    },
    outliers,
  };
  const out = isOhlcvColumns(input) ? columns : toRows(input, columns, origin, mergedSources);
  return {
    bars: out as Out,
    ...(recipe.returns ? { returns: returns(columns, featureOptions) } : {}),
    ...(recipe.logReturns ? { logReturns: logReturns(columns, featureOptions) } : {}),
    ...(recipe.atr ? { atr: atr(columns, { period: recipe.atrPeriod, breaks }) } : {}),
    sourceIndex: origin,
    report,
  };
}

function gatherInt(source: Int32Array, indices: ArrayLike<number>): Int32Array {
  const out = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) out[k] = source[indices[k] as number] as number;
  return out;
}

/** The plan with every gap left missing (gap handling `none`). */
function leaveGaps(plan: FillPlan): FillPlan {
  const reports = plan.reports.map((r): GapReport => ({ ...r, resolution: GapResolution.MarkedMissing, filledBars: 0 }));
  return { scan: plan.scan, reports, fills: [], inserted: 0 };
}

/** Output rows: an input row is reused when its values did not change, else a new row. */
function toRows(rows: readonly Ohlcv[], columns: OhlcvColumns, origin: Int32Array, merged: ReadonlySet<number>): Ohlcv[] {
  const out = new Array<Ohlcv>(columns.length);
  const flags = columns.flags;
  for (let k = 0; k < columns.length; k++) {
    const o = origin[k] as number;
    const source = o >= 0 && !merged.has(o) ? rows[o] : undefined;
    const unchanged =
      source !== undefined &&
      (flags === undefined || flags[k] !== BarFlagCode.Clipped || source.flag === 'clipped') &&
      source.open === columns.open[k] &&
      source.high === columns.high[k] &&
      source.low === columns.low[k] &&
      source.close === columns.close[k] &&
      source.volume === columns.volume[k];
    out[k] = unchanged ? source : rowAt(columns, k);
  }
  return out;
}
