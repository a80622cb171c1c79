import { requireTimeframe } from '../internal/options.js';
import { EMPTY_SERIES, readSeries } from '../internal/series-input.js';
import { ConfigError } from '../errors/config-error.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import { isOhlcvColumns, type OhlcvColumns, type OhlcvSeries } from '../schemas/ohlcv-columns.js';
import { bucketEnd } from '../time/bucket-end.js';
import { FIXED_WIDTH_MS, type Timeframe } from '../time/timeframe.js';
import { toRows } from '../formats/to-rows.js';
import { rowsToCountedColumns } from './internal/counted-columns.js';
import type { MutableColumns } from '../internal/columns.js';
import { aggregateIssue } from './internal/aggregate-issue-of.js';
import { isoTime } from '../internal/iso-utc.js';
import { reduceCheckedToBuckets, reduceToBuckets, type BucketedColumns, type ReduceSpec } from './internal/reduce-to-buckets.js';
import { sanitizeSeries, type SanitizedSeries, type SourceGrid } from './internal/sanitize-series.js';
import { assertAggregatable, gridDivides, inferTimeframe, orderingWidth } from './internal/timeframe-pairs.js';
import type { AggregateIssue } from './aggregate-issue.js';
import { EMPTY_COLUMNS, sliceColumns } from './internal/slice-columns.js';
import { gridOf } from '../time/timeframe-grid.js';
import { missingBars, unitsPerBar } from './internal/missing-bars.js';
import { DEFAULT_AGGREGATION, type AggregateDefaults, type AggregateOptions, type PartialBucketPolicy } from './aggregate-options.js';

/** Which end of the result is a bucket the input does not fully cover. */
export interface PartialBuckets {
  /** The first output bar's bucket starts before the input's first bar. */
  readonly first: boolean;
  /** The last output bar's bucket ends after the input's last bar (still in progress). */
  readonly last: boolean;
}

/**
 * The outcome of an aggregation: the bars (the same kind as the input), which ends are
 * partial, and what was skipped or dropped.
 *
 * @typeParam S - `Ohlcv[]` for rows, `OhlcvColumns` for columns.
 */
export interface AggregateResult<S> {
  /** The aggregated bars, labelled by bucket start, strictly increasing. */
  readonly bars: S;
  /** Partial buckets that are in `bars`. */
  readonly partial: PartialBuckets;
  /** Skipped input bars, dropped partial buckets, source-timeframe problems. */
  readonly issues: readonly AggregateIssue[];
}

/** Results of {@link aggregateOhlcv} for several targets, keyed by target. */
export type AggregateResults<T extends readonly Timeframe[], S> = { readonly [K in T[number]]: AggregateResult<S> };

const NO_PARTIAL: PartialBuckets = { first: false, last: false };

interface ResolvedOptions extends AggregateDefaults {
  readonly source: Timeframe | undefined;
}

function resolveOptions(options: AggregateOptions): ResolvedOptions {
  const policy = (key: 'partialStart' | 'partialEnd'): PartialBucketPolicy => {
    const value = options[key] ?? DEFAULT_AGGREGATION[key];
    if (value !== 'keep' && value !== 'drop') {
      throw new ConfigError(`Expected \`${key}\` to be 'keep' or 'drop', got \`${String(value)}\``, { path: [key], value });
    }
    return value;
  };
  const flag = (key: 'exchangeExact' | 'count' | 'provenance'): boolean => {
    const value = options[key] ?? DEFAULT_AGGREGATION[key];
    if (typeof value !== 'boolean')
      throw new ConfigError(`Expected \`${key}\` to be a boolean, got \`${String(value)}\``, { path: [key], value });
    return value;
  };
  return {
    source: options.source === undefined ? undefined : requireTimeframe(options.source, ['source']),
    exchangeExact: flag('exchangeExact'),
    partialStart: policy('partialStart'),
    partialEnd: policy('partialEnd'),
    count: flag('count'),
    provenance: flag('provenance'),
  };
}

function sourceGridOf(tf: Timeframe): SourceGrid | undefined {
  if (tf === '1M') return undefined;
  const { width, origin } = gridOf(tf);
  return { widthMs: width, originMs: origin, name: tf };
}

/** The engine shared by every overload: columns in, columns out, one result per target. */
function aggregateColumns(input: OhlcvColumns, targets: readonly Timeframe[], options: ResolvedOptions): AggregateResult<OhlcvColumns>[] {
  const declared = options.source;
  const grid = declared === undefined ? undefined : sourceGridOf(declared);
  // The common case, a clean input: one pass checks the timestamps (what sanitizeSeries would)
  // and builds the smallest target's buckets; anything else falls back to sanitizeSeries.
  const smallest = targets.reduce<Timeframe | undefined>(
    (best, tf) => (best === undefined || orderingWidth(tf) < orderingWidth(best) ? tf : best),
    undefined,
  );
  const spec = (target: Timeframe, stepHint: number): ReduceSpec => ({
    target,
    exact: options.exchangeExact,
    // Provenance's `missing` is worked out from the counts.
    count: options.count || options.provenance,
    provenance: options.provenance,
    // Traded marks are kept only when a larger target may be built from these buckets.
    traded: targets.length > 1,
    stepHint,
  });
  const checked = smallest === undefined ? undefined : reduceCheckedToBuckets(input, grid, spec(smallest, 0));
  const sane: SanitizedSeries =
    checked === undefined ? sanitizeSeries(input, grid) : { columns: input, issues: [], misaligned: 0, stepGcd: checked.stepGcd };
  const data = sane.columns;
  const n = data.length;
  const common: AggregateIssue[] = [...sane.issues];
  // Said before anything else, so also when every bar was off the grid and nothing is left.
  if (declared !== undefined && sane.misaligned > 0) {
    common.push(
      aggregateIssue(
        'source_timeframe_mismatch',
        -1,
        Number.NaN,
        `${sane.misaligned} of ${input.length} bars do not open on the ${declared} grid; the data does not look like ${declared} bars`,
      ),
    );
  }
  const empty = (extra: readonly AggregateIssue[]): AggregateResult<OhlcvColumns> => ({
    bars: EMPTY_COLUMNS,
    partial: NO_PARTIAL,
    issues: [...common, ...extra],
  });
  if (n === 0) return targets.map(() => empty([]));
  const ts = data.timestamp;
  const firstTs = ts[0] as number;
  const lastTs = ts[n - 1] as number;

  // The source's width decides where the input's coverage ends (for the partial last bucket).
  let coverageEnd = Number.NaN;
  // Width of one source bar in ms (0 for `1M`, NaN when unknown), for provenance's `missing`.
  let sourceWidth = Number.NaN;
  const usable: boolean[] = targets.map(() => true);
  const perTarget: AggregateIssue[][] = targets.map(() => []);
  if (declared !== undefined) {
    coverageEnd = declared === '1M' ? bucketEnd(lastTs, '1M') : lastTs + FIXED_WIDTH_MS[declared];
    sourceWidth = declared === '1M' ? 0 : FIXED_WIDTH_MS[declared];
    const looksLike = sane.stepGcd > 0 ? inferTimeframe(sane.stepGcd, firstTs) : undefined;
    if (looksLike !== undefined && declared !== '1M' && FIXED_WIDTH_MS[looksLike] > FIXED_WIDTH_MS[declared]) {
      common.push(
        aggregateIssue(
          'source_timeframe_mismatch',
          -1,
          Number.NaN,
          `Every step between bars is a multiple of ${looksLike}: the bars look like ${looksLike} bars, not ${declared}; partial buckets are judged as ${declared}`,
        ),
      );
    }
  } else if (sane.stepGcd > 0) {
    const inferred = inferTimeframe(sane.stepGcd, firstTs);
    if (inferred === undefined) {
      return targets.map(() =>
        empty([
          aggregateIssue(
            'source_timeframe_unknown',
            -1,
            Number.NaN,
            `Cannot infer the source timeframe: the steps between bars share ${sane.stepGcd} ms, which no timeframe grid holds; pass \`source\``,
          ),
        ]),
      );
    }
    const widthMs = FIXED_WIDTH_MS[inferred];
    coverageEnd = lastTs + widthMs;
    sourceWidth = widthMs;
    targets.forEach((tf, k) => {
      if (!gridDivides(widthMs, tf, inferred)) {
        usable[k] = false;
        perTarget[k]?.push(
          aggregateIssue(
            'source_timeframe_mismatch',
            -1,
            Number.NaN,
            `The bars look like ${inferred} bars, which cannot be aggregated to ${tf}`,
          ),
        );
      }
    });
  } else {
    common.push(
      aggregateIssue(
        'source_timeframe_unknown',
        -1,
        firstTs,
        'A single bar without `source`: its width is unknown, so its bucket counts as partial at the end',
      ),
    );
  }

  const order = targets
    .map((tf, k) => ({ tf, k }))
    .filter(({ k }) => usable[k])
    .sort((a, b) => orderingWidth(a.tf) - orderingWidth(b.tf));
  const built = new Map<Timeframe, BucketedColumns>();
  if (checked !== undefined && smallest !== undefined && usable[targets.indexOf(smallest)] === true) built.set(smallest, checked.buckets);
  const results: AggregateResult<OhlcvColumns>[] = targets.map((_, k) => empty(perTarget[k] ?? []));
  const units = options.provenance ? unitsPerBar(data) : 1;
  for (const { tf, k } of order) {
    let buckets = built.get(tf);
    if (buckets === undefined) {
      // Build from the largest bucketing already made that divides this one (5m → 15m → 1H …):
      // the input is read once, and every later target reads a much shorter series.
      let parent: BucketedColumns | undefined;
      let parentWidth = 0;
      for (const [done, value] of built) {
        if (done !== '1M' && gridDivides(FIXED_WIDTH_MS[done], tf, done)) {
          parent = value;
          parentWidth = FIXED_WIDTH_MS[done];
        }
      }
      buckets =
        parent === undefined
          ? reduceToBuckets(data, undefined, spec(tf, sane.stepGcd))
          : reduceToBuckets(parent.columns, parent.traded, spec(tf, parentWidth));
      built.set(tf, buckets);
    }
    if (options.provenance) buckets.columns.missing ??= missingBars(buckets.columns, tf, sourceWidth, units);
    results[k] = finish(buckets.columns, tf, firstTs, coverageEnd, options, [...common, ...(perTarget[k] ?? [])]);
  }
  return results;
}

function finish(
  columns: MutableColumns,
  tf: Timeframe,
  firstTs: number,
  coverageEnd: number,
  options: ResolvedOptions,
  issues: AggregateIssue[],
): AggregateResult<OhlcvColumns> {
  const m = columns.length;
  const starts = columns.timestamp;
  const firstPartial = (starts[0] as number) < firstTs;
  const lastStart = starts[m - 1] as number;
  const lastPartial = !(coverageEnd >= bucketEnd(lastStart, tf));
  let from = 0;
  let to = m;
  if (firstPartial && options.partialStart === 'drop') {
    from = 1;
    issues.push(
      aggregateIssue(
        'partial_bucket_dropped',
        -1,
        starts[0] as number,
        `The ${tf} bucket at ${isoTime(starts[0] as number)} starts before the input (${isoTime(firstTs)}); it is dropped`,
      ),
    );
  }
  if (lastPartial && options.partialEnd === 'drop' && to > from) {
    to = m - 1;
    issues.push(
      aggregateIssue(
        'partial_bucket_dropped',
        -1,
        lastStart,
        `The ${tf} bucket at ${isoTime(lastStart)} is not covered to its end by the input; it is dropped (still in progress?)`,
      ),
    );
  }
  const bars = sliceColumns(columns, from, to, options.count, options.provenance);
  const partial: PartialBuckets = {
    first: from === 0 && to > 0 && firstPartial,
    last: to === m && to > from && lastPartial,
  };
  return { bars, partial, issues };
}

/**
 * Aggregates OHLCV bars to one or more larger timeframes: open = first, high = max,
 * low = min, close = last; volume, quoteVolume, trades and takerBuyVolume summed (an optional
 * field missing on any bar of a bucket is missing on the result). Buckets are left-closed,
 * labelled by their start, epoch-aligned, weeks from Monday, calendar months.
 *
 * **Exchange-exact by default**: zero-volume filler bars and synthetic bars do not set a
 * bucket's open, high or low when it has a traded bar, so 1m → 5m reproduces the exchange's
 * own 5m candles. **Partial buckets**: the trailing bucket the input does not cover to its end
 * is dropped (`partialEnd: 'keep'` keeps it); `partial` says which ends of the result are
 * partial. **Several targets** share one pass over the input (each larger target is built from
 * a smaller one that divides it). Bars that are duplicated, out of order or off the source grid
 * are skipped and reported; so are rows that are not objects (holes, `null`: no finite timestamp),
 * and columns whose `length` their arrays do not back are not read (`malformed_columns`). A field
 * that is not a number is read as `NaN`, never converted. An aggregated bar's flag: a bucket with a traded bar (volume
 * above zero, not synthetic) is real, flagged `clipped` if one of its traded bars was; a bucket
 * without one takes the most synthetic flag among its bars (`forward_filled`, then
 * `interpolated`, then `clipped`); with `provenance`, `synthetic` and `missing` say how many of
 * its source bars were made up and how many never came. Never mutates the input. In a columns result, the number
 * arrays of one target may be views into one shared buffer (`.slice()` one to keep it alone).
 *
 * @param input - Bars as rows or columns; the result is of the same kind.
 * @param target - The timeframe to build, or an array of them (the result is then keyed by target).
 * @param options - See {@link AggregateOptions}.
 * @returns The bars, the partial ends and the issues; see {@link AggregateResult}.
 * @throws ConfigError for an unknown timeframe, a target smaller than `source` or one it does
 *   not divide, or an invalid option.
 *
 * @example
 * ```ts
 * const minute = (i: number, o: number, c: number, v: number) =>
 *   ({ timestamp: Date.UTC(2024, 0, 1, 0, i), open: o, high: Math.max(o, c), low: Math.min(o, c), close: c, volume: v });
 * const bars = [minute(0, 10, 11, 1), minute(1, 11, 11, 0), minute(2, 12, 13, 2), minute(3, 13, 9, 1), minute(4, 9, 10, 1)];
 * aggregateOhlcv(bars, '5m', { source: '1m' }).bars
 * // [{ timestamp: Date.UTC(2024, 0, 1), open: 10, high: 13, low: 9, close: 10, volume: 5, count: 5 }]
 * ```
 */
export function aggregateOhlcv(input: readonly Ohlcv[], target: Timeframe, options?: AggregateOptions): AggregateResult<Ohlcv[]>;
export function aggregateOhlcv(input: OhlcvColumns, target: Timeframe, options?: AggregateOptions): AggregateResult<OhlcvColumns>;
export function aggregateOhlcv<const T extends readonly Timeframe[]>(
  input: readonly Ohlcv[],
  targets: T,
  options?: AggregateOptions,
): AggregateResults<T, Ohlcv[]>;
export function aggregateOhlcv<const T extends readonly Timeframe[]>(
  input: OhlcvColumns,
  targets: T,
  options?: AggregateOptions,
): AggregateResults<T, OhlcvColumns>;
export function aggregateOhlcv(
  input: OhlcvSeries,
  target: Timeframe | readonly Timeframe[],
  options: AggregateOptions = {},
): AggregateResult<Ohlcv[] | OhlcvColumns> | Record<string, AggregateResult<Ohlcv[] | OhlcvColumns>> {
  const resolved = resolveOptions(options);
  const many = Array.isArray(target);
  const given: readonly Timeframe[] = many ? (target as readonly Timeframe[]) : [target as Timeframe];
  const targets = given.map((tf, k) => {
    const path = many ? ['targets', k] : ['target'];
    const parsed = requireTimeframe(tf, path);
    if (resolved.source !== undefined) assertAggregatable(resolved.source, parsed, path);
    return parsed;
  });
  const asColumns = isOhlcvColumns(input);
  // Columns are checked once here (rows are read field by field, non-numbers as NaN).
  const refused = asColumns ? readSeries(input).defects[0] : undefined;
  const columns = refused !== undefined ? EMPTY_SERIES : asColumns ? input : rowsToCountedColumns(input);
  const results = aggregateColumns(columns, targets, resolved).map((r) =>
    refused === undefined ? r : { ...r, issues: [aggregateIssue('malformed_columns', -1, Number.NaN, refused.message), ...r.issues] },
  );
  const shaped = results.map((r): AggregateResult<Ohlcv[] | OhlcvColumns> => (asColumns ? r : { ...r, bars: toRows(r.bars) }));
  if (!many) return shaped[0] as AggregateResult<Ohlcv[] | OhlcvColumns>;
  const keyed: Record<string, AggregateResult<Ohlcv[] | OhlcvColumns>> = {};
  given.forEach((tf, k) => {
    keyed[tf] = shaped[k] as AggregateResult<Ohlcv[] | OhlcvColumns>;
  });
  return keyed;
}
