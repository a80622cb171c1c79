import { aggregateBase } from './internal/base-aggregate.js';
import { looseColumns } from '../internal/columns.js';
import { prepareSeries, type PreparedSeries } from './internal/prepared-series.js';
import { timeOrder } from '../internal/time-order.js';
import { summarise } from './internal/summarise-findings.js';
import { describeOption, requireTimeframe, resolveSection } from '../internal/options.js';
import { ConfigError } from '../errors/config-error.js';
import { AlertSeverity } from '../schemas/alert-schema.js';
import { ConsistencyConfigSchema, DEFAULT_CONSISTENCY, type ConsistencyConfig } from '../schemas/config.js';
import type { OhlcvColumns, OhlcvSeries } from '../schemas/ohlcv-columns.js';
import { QualityIssueType } from '../schemas/quality-report-schema.js';
import { isAligned } from '../time/is-aligned.js';
import { DAY_MS, FIXED_WIDTH_MS, type Timeframe } from '../time/timeframe.js';
import { OhlcvRule } from '../validate/ohlcv-rule.js';
import { QualityCheck, type QualityFinding } from './quality-finding.js';
import { gridOf } from '../time/timeframe-grid.js';

/** A bar field compared with a reference. */
export type ConsistencyField = 'open' | 'high' | 'low' | 'close' | 'volume';

const ALL_FIELDS: readonly ConsistencyField[] = ['open', 'high', 'low', 'close', 'volume'];

/** The same series from another source, compared bar by bar at equal open times. */
export interface SourceReference {
  /** Discriminant. */
  readonly kind: 'source';
  /** The other source's bars, same symbol and timeframe; not modified. */
  readonly bars: OhlcvSeries;
  /** The other source's name, used in messages. */
  readonly name?: string;
  /**
   * Fields compared (volumes of two venues rarely agree).
   * @defaultValue `['open', 'high', 'low', 'close', 'volume']`
   */
  readonly fields?: readonly ConsistencyField[];
}

/**
 * The source's own bars of a smaller timeframe: aggregated to the checked timeframe by
 * `aggregateOhlcv` (first open, highest high, lowest low, last close, summed volume;
 * zero-volume bars add no price to a bucket with trades) and compared where they cover a
 * whole bucket. Base bars off the base timeframe's grid are skipped (as `aggregateOhlcv`
 * skips them), and a bucket holding a bar with a non-finite value is not compared.
 */
export interface BaseReference {
  /** Discriminant. */
  readonly kind: 'base';
  /** The base-timeframe bars; not modified. */
  readonly bars: OhlcvSeries;
  /** Their timeframe: it must nest in the checked one (5m in 30m, 1D in 1M). */
  readonly timeframe: Timeframe;
  /**
   * Fields compared.
   * @defaultValue `['open', 'high', 'low', 'close', 'volume']`
   */
  readonly fields?: readonly ConsistencyField[];
}

/** What {@link checkConsistency} compares the bars with. */
export type ConsistencyReference = SourceReference | BaseReference;

/** Options of {@link checkConsistency}. */
export interface CheckConsistencyOptions {
  /** The bars' timeframe. ccxt spellings are accepted. */
  readonly timeframe: Timeframe;
  /** A reference to agree with; without one only alignment and duplicates are checked. */
  readonly reference?: ConsistencyReference;
  /** Overrides of {@link DEFAULT_CONSISTENCY}. */
  readonly config?: Partial<ConsistencyConfig>;
  /** Stamped on the findings. */
  readonly symbol?: string;
}

/** One field that disagrees with the reference. */
export interface FieldDifference {
  /** The field. */
  readonly field: ConsistencyField;
  /** Our value. */
  readonly value: number;
  /** The reference's value. */
  readonly reference: number;
  /** `|value − reference| / max(|value|, |reference|)`, a fraction; Infinity when either is not finite. */
  readonly relativeDifference: number;
}

/** A bar that disagrees with the reference. */
export interface Disagreement {
  /** Position of the bar in the input. */
  readonly index: number;
  /** Its open time, epoch ms. */
  readonly timestamp: number;
  /** The fields beyond the tolerance. */
  readonly differences: readonly FieldDifference[];
}

/** What {@link checkConsistency} returns. */
export interface ConsistencyResult {
  /** `passed / checks` in [0, 1]; 0 when nothing could be checked. */
  readonly score: number;
  /** Checks made: one alignment check per bar with a finite timestamp, one per duplicate, one per bar compared. */
  readonly checks: number;
  /** Checks passed. */
  readonly passed: number;
  /** Bars whose timestamp is not the open time of a bucket. */
  readonly misaligned: number;
  /** Bars sharing an open time with an earlier bar. */
  readonly duplicates: number;
  /** Duplicates whose values differ from the first bar at that time. */
  readonly conflictingDuplicates: number;
  /** Bars compared with the reference (open times present in both). */
  readonly compared: number;
  /** Bars compared that disagree beyond the tolerance, in time order. */
  readonly disagreements: readonly Disagreement[];
  /** Findings: `invalid_bar`/`timestamp_aligned`, `duplicate_bar`/`conflicting_duplicate`, `inconsistent_source`/`reference_mismatch`. */
  readonly issues: readonly QualityFinding[];
}

interface TimeScan {
  /** Alignment checks made (bars with a finite timestamp). */
  readonly checks: number;
  /** Timestamps off the grid. */
  readonly misaligned: number[];
  /** Pairs (index of a duplicate, index of the first bar at that time), flattened. */
  readonly duplicatePairs: number[];
}

/** Below this magnitude an integer time plus a bucket width is exact (2^52 ms). */
const EXACT_STEP_LIMIT = 2 ** 52;

/**
 * The kernel: alignment of every finite timestamp and duplicates, walking the prepared
 * series in time order. Alignment multiplies by the reciprocal and rounds: the comparison is
 * exact, so a misaligned time never passes and an aligned one always does. A time one bucket
 * after an aligned integer time (the common case) is aligned without that arithmetic.
 */
function scanTimes(series: PreparedSeries, width: number, origin: number, tf: Timeframe): TimeScan {
  const times = series.times;
  const order = series.order;
  const n = series.cols.length;
  const perWidth = width > 0 ? 1 / width : 0;
  const misaligned: number[] = [];
  const duplicatePairs: number[] = [];
  let checks = 0;
  let firstOfRun = -1;
  let prevT = Number.NaN;
  // The bucket after the last aligned time, NaN when unknown or not exact.
  let next = Number.NaN;
  for (let k = 0; k < n; k++) {
    const t = times[k]!;
    if (!(t > -Infinity && t < Infinity)) continue;
    checks++;
    if (t === next) {
      next = t + width < EXACT_STEP_LIMIT ? t + width : Number.NaN;
    } else if (width > 0 ? Math.round((t - origin) * perWidth) * width !== t - origin : !isAligned(t, tf)) {
      misaligned.push(t);
    } else {
      next = width > 0 && t > -EXACT_STEP_LIMIT && t < EXACT_STEP_LIMIT && Math.floor(t) === t ? t + width : Number.NaN;
    }
    const i = order === undefined ? k : order[k]!;
    if (t === prevT) {
      duplicatePairs.push(i, firstOfRun);
    } else {
      firstOfRun = i;
      prevT = t;
    }
  }
  return { checks, misaligned, duplicatePairs };
}

function relative(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale === 0 ? 0 : Math.abs(a - b) / scale;
}

function sameValue(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

function checkNesting(base: Timeframe, tf: Timeframe): void {
  const nests =
    base !== tf &&
    base !== '1M' &&
    (tf === '1M' ? DAY_MS % FIXED_WIDTH_MS[base] === 0 : base !== '1W' && FIXED_WIDTH_MS[tf] % FIXED_WIDTH_MS[base] === 0);
  if (!nests) {
    throw new ConfigError(
      `Expected \`reference.timeframe\` to be a smaller timeframe that nests in ${tf}, got \`${describeOption(base)}\``,
      { path: ['reference', 'timeframe'], value: base },
    );
  }
}

function resolveFields(fields: unknown): readonly ConsistencyField[] {
  if (fields === undefined) return ALL_FIELDS;
  if (!Array.isArray(fields) || fields.length === 0 || !fields.every((f) => ALL_FIELDS.includes(f as ConsistencyField))) {
    throw new ConfigError(
      `Expected \`reference.fields\` to be a non-empty list of ${ALL_FIELDS.join(', ')}, got \`${describeOption(fields)}\``,
      { path: ['reference', 'fields'], value: fields },
    );
  }
  return fields as readonly ConsistencyField[];
}

type Fieldwise = Pick<OhlcvColumns, 'length' | 'timestamp' | ConsistencyField>;

/**
 * The consistency metric: timestamps aligned to the timeframe, no conflicting duplicates, and
 * agreement with a reference when one is given — the same series from another source
 * (`kind: 'source'`), or the source's own base-timeframe bars aggregated to this timeframe
 * (`kind: 'base'`) — within `relativeTolerance` (0.1 %) on every compared field.
 * Score = share of checks passed.
 *
 * @param bars - Rows or columns, any order; not modified.
 * @param options - See {@link CheckConsistencyOptions}.
 * @returns The score, counts, the disagreements and findings.
 * @throws {@link ConfigError} for an unknown timeframe, a base timeframe that does not nest, bad `fields`, or an invalid config.
 *
 * @example
 * ```ts
 * const t = Date.UTC(2025, 0, 30);
 * const bar = (ts: number, close: number) => ({ timestamp: ts, open: 1, high: 2, low: 1, close, volume: 1 });
 * checkConsistency([bar(t, 1.5), bar(t + 60_017, 1.5)], { timeframe: '1m',
 *   reference: { kind: 'source', bars: [bar(t, 1.6)], fields: ['close'] } }).score
 * // 1 / 3: the second bar is 17 ms off the grid; the first disagrees with the reference by 6.25 %
 * ```
 */
export function checkConsistency(bars: OhlcvSeries, options: CheckConsistencyOptions): ConsistencyResult {
  const tf = requireTimeframe(options.timeframe, ['timeframe']);
  const config = resolveSection(ConsistencyConfigSchema, DEFAULT_CONSISTENCY, options.config, ['config']);
  return measureConsistency(prepareSeries(bars), tf, options.reference, config, options.symbol);
}

/**
 * The kernel of {@link checkConsistency} on a prepared series (what `scoreQuality` calls):
 * checks and resolves the reference, then scans the timestamps in time order and compares
 * with the reference.
 *
 * @param series - The prepared bars.
 * @param tf - Their timeframe (canonical).
 * @param reference - The reference as given; checked here.
 * @param config - The resolved consistency configuration.
 * @param symbol - Stamped on the findings.
 * @returns The consistency result.
 * @throws {@link ConfigError} for a bad reference.
 */
export function measureConsistency(
  series: PreparedSeries,
  tf: Timeframe,
  reference: ConsistencyReference | undefined,
  config: ConsistencyConfig,
  symbol: string | undefined,
): ConsistencyResult {
  let refCols: Fieldwise | undefined;
  let fields: readonly ConsistencyField[] = ALL_FIELDS;
  let refName = 'the reference';
  if (reference !== undefined) {
    fields = resolveFields(reference.fields);
    if (reference.kind === 'base') {
      const baseTf = requireTimeframe(reference.timeframe, ['reference', 'timeframe']);
      checkNesting(baseTf, tf);
      refCols = aggregateBase(reference.bars, baseTf, tf);
      refName = `the ${tf} aggregate of its ${baseTf} bars`;
    } else if (reference.kind === 'source') {
      refCols = looseColumns(reference.bars);
      if (reference.name !== undefined) refName = reference.name;
    } else {
      throw new ConfigError(
        `Expected \`reference.kind\` to be 'source' or 'base', got \`${describeOption((reference as { kind?: unknown }).kind)}\``,
        {
          path: ['reference', 'kind'],
          value: (reference as { kind?: unknown }).kind,
        },
      );
    }
  }
  const cols = series.cols;
  const n = cols.length;
  const ts = cols.timestamp;
  const order = series.order;
  const { width, origin } = gridOf(tf);
  const scan = scanTimes(series, width, origin, tf);
  const at = (k: number): number => (order === undefined ? k : order[k]!);
  const misalignedAt = scan.misaligned.map((t) => ({ rule: OhlcvRule.TimestampAligned, timestamp: t }));
  const conflicts: { rule: typeof QualityCheck.ConflictingDuplicate; timestamp: number }[] = [];
  const pairs = scan.duplicatePairs;
  for (let k = 0; k < pairs.length; k += 2) {
    const i = pairs[k]!;
    const first = pairs[k + 1]!;
    if (!ALL_FIELDS.every((f) => sameValue(cols[f][i]!, cols[f][first]!))) {
      conflicts.push({ rule: QualityCheck.ConflictingDuplicate, timestamp: ts[i]! });
    }
  }
  const duplicates = pairs.length / 2;
  let checks = scan.checks + duplicates;
  const disagreements: Disagreement[] = [];
  let compared = 0;
  if (refCols !== undefined) {
    const rn = refCols.length;
    const rOrder = timeOrder(refCols.timestamp, rn);
    const rAt = (k: number): number => (rOrder === undefined ? k : rOrder[k]!);
    let r = 0;
    let lastT = Number.NaN;
    for (let k = 0; k < n; k++) {
      const i = at(k);
      const t = ts[i]!;
      if (!Number.isFinite(t) || t === lastT) continue;
      lastT = t;
      while (r < rn && !(refCols.timestamp[rAt(r)]! >= t)) r++;
      if (r >= rn) break;
      const j = rAt(r);
      if (refCols.timestamp[j] !== t) continue;
      compared++;
      checks++;
      let differences: FieldDifference[] | undefined;
      for (const field of fields) {
        const value = cols[field][i]!;
        const other = refCols[field][j]!;
        const rel = relative(value, other);
        if (!(rel <= config.relativeTolerance)) {
          differences ??= [];
          differences.push({ field, value, reference: other, relativeDifference: rel });
        }
      }
      if (differences !== undefined) disagreements.push({ index: i, timestamp: t, differences });
    }
  }
  const failed = misalignedAt.length + conflicts.length + disagreements.length;
  const context = { symbol, timeframe: tf };
  const mismatches = disagreements.map((d) => ({ rule: QualityCheck.ReferenceMismatch, timestamp: d.timestamp }));
  const issues = [
    ...summarise(
      misalignedAt,
      QualityIssueType.InvalidBar,
      AlertSeverity.Warning,
      context,
      (_, count) => `${count} bar${count === 1 ? ' is' : 's are'} not aligned to the ${tf} grid`,
    ),
    ...summarise(
      conflicts,
      QualityIssueType.DuplicateBar,
      AlertSeverity.Warning,
      context,
      (_, count) => `${count} duplicate bar${count === 1 ? '' : 's'} with values that differ from the first bar at the same time`,
    ),
    ...summarise(
      mismatches,
      QualityIssueType.InconsistentSource,
      AlertSeverity.Warning,
      context,
      (_, count) => `${count} of ${compared} bars compared disagree with ${refName} by more than ${config.relativeTolerance * 100} %`,
    ),
  ];
  return {
    score: checks > 0 ? (checks - failed) / checks : 0,
    checks,
    passed: checks - failed,
    misaligned: misalignedAt.length,
    duplicates,
    conflictingDuplicates: conflicts.length,
    compared,
    disagreements,
    issues,
  };
}
