import { describeOption, requireTimeframe } from '../internal/options.js';
import { EMPTY_SERIES, readSeries } from '../internal/series-input.js';
import { ConfigError } from '../errors/config-error.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import { isOhlcvColumns, type OhlcvColumns, type OhlcvSeries } from '../schemas/ohlcv-columns.js';
import { bucketEnd } from '../time/bucket-end.js';
import { bucketStart } from '../time/bucket-start.js';
import { FIXED_WIDTH_MS, type Timeframe } from '../time/timeframe.js';
import { toRows } from '../formats/to-rows.js';
import { rowsToCountedColumns } from './internal/counted-columns.js';
import { gatherColumns } from './internal/gather-aligned.js';
import { aggregateIssue } from './internal/aggregate-issue-of.js';
import { isoTime } from '../internal/iso-utc.js';
import type { SourceIssue } from './aggregate-issue.js';

/**
 * Which time grid {@link alignSources} builds: `full`, every bucket from the earliest to the
 * latest bar of any source; `union`, the buckets where at least one source has a bar;
 * `intersection`, the buckets where every source has one.
 */
export type AlignGrid = 'full' | 'union' | 'intersection';

/** Options of {@link alignSources}. */
export interface AlignSourcesOptions {
  /**
   * The grid to build.
   * @defaultValue 'full'
   */
  readonly grid?: AlignGrid;
  /**
   * Move a bar that does not open on the timeframe's grid to the start of its bucket (for a
   * source that stamps bars a little late). Otherwise such a bar is skipped and reported.
   * @defaultValue false
   */
  readonly snap?: boolean;
  /**
   * The most slots the `full` grid may have (a positive integer): a full grid spanning more
   * throws a `ConfigError` before anything is allocated. Each slot costs about 60 bytes per
   * source for columns (seven `Float64Array`s, a mask, a row index), more for rows. `union` and
   * `intersection` grids hold at most the bars given and are not bounded.
   * @defaultValue {@link DEFAULT_MAX_GRID_BARS} (2,000,000: about 3.8 years of 1m bars)
   */
  readonly maxGridBars?: number;
}

/**
 * The default bound of the `full` grid of {@link alignSources}: 2,000,000 slots, about 3.8
 * years of 1m bars, 19 years of 5m bars (about 120 MB per source as columns). Two bars 10
 * years apart on a 1m grid would otherwise take 5.3 M slots (a gigabyte as rows).
 *
 * @defaultValue 2_000_000
 */
export const DEFAULT_MAX_GRID_BARS = 2_000_000;

/**
 * One source's bars on the shared grid: columns with `NaN` in every field of a missing bar
 * (timestamps are the grid's), or rows with `undefined` for a missing bar.
 */
export type AlignedSeries<S extends OhlcvSeries> = S extends OhlcvColumns ? OhlcvColumns : (Ohlcv | undefined)[];

/**
 * Several sources on one grid.
 *
 * @typeParam T - The input record of series by source name.
 */
export interface AlignedSources<T extends Readonly<Record<string, OhlcvSeries>>> {
  /** The grid: bucket starts, epoch ms, strictly increasing. */
  readonly timestamps: Float64Array;
  /** Each source's bars on the grid, of the kind it was given. */
  readonly series: { readonly [K in keyof T]: AlignedSeries<T[K]> };
  /** Per source, 1 where it has a bar on the grid, 0 where it does not. */
  readonly present: { readonly [K in keyof T]: Uint8Array };
  /** Bars skipped as off-grid, duplicated (also after snapping) or out of order; a source's columns refused whole (`malformed_columns`, read as no bars). */
  readonly issues: readonly SourceIssue[];
}

interface Kept {
  readonly name: string;
  readonly columns: OhlcvColumns;
  readonly rows: boolean;
  readonly rowIndex: Int32Array;
  readonly bucket: Float64Array;
  readonly length: number;
}

/**
 * Puts the series of several sources on one time grid of `timeframe`, with a presence mask
 * per source, so they can be compared bar by bar (consistency checks, spreads, a feature
 * matrix). Each source keeps its kind: columns hold `NaN` where the source has no bar, rows
 * hold `undefined`. A bar off the grid is skipped (or, with `snap`, moved to its bucket's
 * start); a bar repeating or preceding the previous bucket of its source is skipped; each
 * skip is reported. Never mutates the inputs.
 *
 * @param seriesByName - Series by source name, all of the same timeframe.
 * @param timeframe - The grid's timeframe.
 * @param options - See {@link AlignSourcesOptions}.
 * @returns See {@link AlignedSources}.
 * @throws ConfigError for an unknown timeframe or an invalid option, and, before anything is
 *   allocated, for a `full` grid of more than `maxGridBars` slots (see {@link DEFAULT_MAX_GRID_BARS}).
 *
 * @example
 * ```ts
 * const bar = (m: number) => ({ timestamp: Date.UTC(2024, 0, 1, 0, m), open: 1, high: 1, low: 1, close: 1, volume: 1 });
 * const aligned = alignSources({ binance: [bar(0), bar(2)], kraken: [bar(1), bar(2)] }, '1m');
 * aligned.timestamps          // Float64Array [00:00, 00:01, 00:02]
 * aligned.present.binance     // Uint8Array [1, 0, 1]
 * aligned.series.kraken[0]    // undefined
 * ```
 */
export function alignSources<const T extends Readonly<Record<string, OhlcvSeries>>>(
  seriesByName: T,
  timeframe: Timeframe,
  options: AlignSourcesOptions = {},
): AlignedSources<T> {
  const tf = requireTimeframe(timeframe, ['timeframe']);
  const grid = options.grid ?? 'full';
  if (grid !== 'full' && grid !== 'union' && grid !== 'intersection') {
    throw new ConfigError(`Expected \`grid\` to be 'full', 'union' or 'intersection', got \`${String(grid)}\``, {
      path: ['grid'],
      value: grid,
    });
  }
  const snap = options.snap ?? false;
  if (typeof snap !== 'boolean')
    throw new ConfigError(`Expected \`snap\` to be a boolean, got \`${String(snap)}\``, { path: ['snap'], value: snap });
  const maxGridBars = options.maxGridBars ?? DEFAULT_MAX_GRID_BARS;
  if (typeof maxGridBars !== 'number' || !Number.isSafeInteger(maxGridBars) || maxGridBars < 1) {
    throw new ConfigError(`Expected \`maxGridBars\` to be a positive integer, got \`${describeOption(maxGridBars)}\``, {
      path: ['maxGridBars'],
      value: maxGridBars,
    });
  }
  const issues: SourceIssue[] = [];
  const kept: Kept[] = Object.keys(seriesByName).map((name) => {
    const series = seriesByName[name] as OhlcvSeries;
    const rows = !isOhlcvColumns(series);
    // Columns are checked once here (rows are read field by field, non-numbers as NaN).
    const refused = rows ? undefined : readSeries(series).defects[0];
    if (refused !== undefined) {
      issues.push({ ...aggregateIssue('malformed_columns', -1, Number.NaN, `${name}: ${refused.message}`), source: name });
    }
    const columns = refused !== undefined ? EMPTY_SERIES : isOhlcvColumns(series) ? series : rowsToCountedColumns(series);
    const n = columns.length;
    const rowIndex = new Int32Array(n);
    const bucket = new Float64Array(n);
    let m = 0;
    let last = Number.NEGATIVE_INFINITY;
    const report = (code: SourceIssue['code'], i: number, t: number, message: string): void => {
      issues.push({ ...aggregateIssue(code, i, t, `${name}: ${message}`), source: name });
    };
    for (let i = 0; i < n; i++) {
      const t = columns.timestamp[i] as number;
      if (!Number.isFinite(t)) {
        report('unsorted_timestamp', i, t, `bar ${i} has no finite timestamp; it is skipped`);
        continue;
      }
      const start = bucketStart(t, tf);
      if (start !== t && !snap) {
        report(
          'misaligned_timestamp',
          i,
          t,
          `bar ${i} (${isoTime(t)}) does not open on the ${tf} grid; it is skipped (or pass \`snap: true\`)`,
        );
      } else if (start === last) {
        report(
          'duplicate_timestamp',
          i,
          t,
          `bar ${i} (${isoTime(t)}) falls in the ${tf} bucket ${isoTime(start)} of the bar before it; it is skipped`,
        );
      } else if (start < last) {
        report('unsorted_timestamp', i, t, `bar ${i} (${isoTime(t)}) is older than the bar before it; it is skipped`);
      } else {
        rowIndex[m] = i;
        bucket[m++] = start;
        last = start;
      }
    }
    return { name, columns, rows, rowIndex, bucket, length: m };
  });

  const timestamps = buildGrid(kept, tf, grid, maxGridBars);
  const g = timestamps.length;
  const series: Record<string, OhlcvColumns | (Ohlcv | undefined)[]> = {};
  const present: Record<string, Uint8Array> = {};
  for (const source of kept) {
    const mask = new Uint8Array(g);
    const row = new Int32Array(g).fill(-1);
    let k = 0;
    for (let j = 0; j < g && k < source.length; j++) {
      const t = timestamps[j] as number;
      while (k < source.length && (source.bucket[k] as number) < t) k++;
      if (k < source.length && source.bucket[k] === t) {
        mask[j] = 1;
        row[j] = source.rowIndex[k] as number;
        k++;
      }
    }
    const aligned = gatherColumns([source.columns], undefined, row, g);
    aligned.timestamp = timestamps.slice();
    present[source.name] = mask;
    if (source.rows) {
      const rows = toRows(aligned);
      series[source.name] = rows.map((bar, j) => (mask[j] === 1 ? bar : undefined));
    } else {
      series[source.name] = aligned;
    }
  }
  return {
    timestamps,
    series: series as AlignedSources<T>['series'],
    present: present as AlignedSources<T>['present'],
    issues,
  };
}

function buildGrid(kept: readonly Kept[], tf: Timeframe, grid: AlignGrid, maxGridBars: number): Float64Array {
  if (grid === 'full') {
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const source of kept) {
      if (source.length === 0) continue;
      first = Math.min(first, source.bucket[0] as number);
      last = Math.max(last, source.bucket[source.length - 1] as number);
    }
    if (first > last) return new Float64Array(0);
    const slots = fullGridSlots(first, last, tf);
    if (slots > maxGridBars) {
      throw new ConfigError(
        `The full ${tf} grid from ${isoTime(first)} to ${isoTime(last)} has ${slots} slots, more than \`maxGridBars\` (${maxGridBars}); raise \`maxGridBars\`, align a shorter range, or use \`grid: 'union'\``,
        { path: ['maxGridBars'], value: maxGridBars },
      );
    }
    if (tf !== '1M') {
      const width = FIXED_WIDTH_MS[tf];
      const out = new Float64Array(slots);
      for (let j = 0; j < out.length; j++) out[j] = first + j * width;
      return out;
    }
    const months: number[] = [];
    for (let t = first; t <= last; t = bucketEnd(t, '1M')) months.push(t);
    return Float64Array.from(months);
  }
  const counts = new Map<number, number>();
  for (const source of kept) {
    for (let k = 0; k < source.length; k++) {
      const t = source.bucket[k] as number;
      counts.set(t, (counts.get(t) ?? 0) + 1);
    }
  }
  const need = grid === 'union' ? 1 : kept.length;
  const out = [...counts].filter(([, c]) => c >= need).map(([t]) => t);
  return Float64Array.from(out).sort();
}

/** Slots of the full grid from bucket `first` to bucket `last` (both on the grid), counted without building it. */
function fullGridSlots(first: number, last: number, tf: Timeframe): number {
  if (tf !== '1M') return (last - first) / FIXED_WIDTH_MS[tf] + 1;
  const a = new Date(first);
  const b = new Date(last);
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth()) + 1;
}
