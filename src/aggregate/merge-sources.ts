import { ConfigError } from '../errors/config-error.js';
import { aggregateIssue } from './internal/aggregate-issue-of.js';
import { EMPTY_SERIES, readSeries, type SeriesDefect } from '../internal/series-input.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import { isOhlcvColumns, type OhlcvColumns, type OhlcvSeries } from '../schemas/ohlcv-columns.js';
import { BarFlagCode } from '../schemas/bar-flag.js';
import { DEFAULT_CONSISTENCY } from '../schemas/config.js';
import { toRows } from '../formats/to-rows.js';
import { rowsToCountedColumns } from './internal/counted-columns.js';
import { gatherColumns } from './internal/gather-aligned.js';
import { sanitizeSeries } from './internal/sanitize-series.js';
import type { SourceIssue } from './aggregate-issue.js';

/** Codes of the `origin` array of {@link mergeSources}: which input a merged bar came from. */
export const MergeOrigin = {
  Primary: 0,
  Backup: 1,
} as const;

/** One of the values of {@link MergeOrigin}. */
export type MergeOrigin = (typeof MergeOrigin)[keyof typeof MergeOrigin];

/** Options of {@link mergeSources}. */
export interface MergeSourcesOptions {
  /**
   * Largest relative difference `|a − b| / max(|a|, |b|)` at which the two sources still agree.
   * @defaultValue `DEFAULT_CONSISTENCY.relativeTolerance` (0.001, i.e. 0.1 %)
   */
  readonly tolerance?: number;
  /**
   * Names of the primary and the backup source, used in `sources` and in issues.
   * @defaultValue ['primary', 'backup']
   */
  readonly names?: readonly [string, string];
  /**
   * Also compare volumes (sensible for two feeds of the same venue; different venues trade
   * different volumes).
   * @defaultValue false
   */
  readonly compareVolume?: boolean;
  /**
   * Replace a synthetic primary bar (`interpolated`, `forward_filled`) by a real backup bar
   * at the same time: a filled hole is still a hole.
   * @defaultValue true
   */
  readonly preferRealBackup?: boolean;
}

/** A field on which the two sources disagree at one timestamp beyond the tolerance. */
export interface SourceDisagreement {
  /** Open time of the two bars, epoch ms. */
  readonly timestamp: number;
  /** The field compared. */
  readonly field: 'open' | 'high' | 'low' | 'close' | 'volume';
  /** The primary's value. */
  readonly primary: number;
  /** The backup's value. */
  readonly backup: number;
  /** `|primary − backup| / max(|primary|, |backup|)`, a fraction. */
  readonly relativeDifference: number;
}

/**
 * The merged series and where each bar came from.
 *
 * @typeParam S - `Ohlcv[]` for rows, `OhlcvColumns` for columns (the primary's kind).
 */
export interface MergedSources<S> {
  /** Every timestamp of either source once, strictly increasing. */
  readonly bars: S;
  /** Per output bar, a {@link MergeOrigin} code; `sources[origin[i]]` is its source's name. */
  readonly origin: Uint8Array;
  /** Names of the primary and the backup. */
  readonly sources: readonly [string, string];
  /** How many bars came from the backup. */
  readonly filled: number;
  /** Fields where both sources have a real bar and differ beyond the tolerance (feeds `checkConsistency`). */
  readonly disagreements: readonly SourceDisagreement[];
  /** Bars of either input skipped as duplicated or out of order; an input's columns refused whole (`malformed_columns`, read as no bars). */
  readonly issues: readonly SourceIssue[];
}

const COMPARED = ['open', 'high', 'low', 'close'] as const;

function isSynthetic(flags: Uint8Array | undefined, i: number): boolean {
  const code = flags === undefined ? 0 : (flags[i] as number);
  return code === BarFlagCode.Interpolated || code === BarFlagCode.ForwardFilled;
}

/**
 * Merges a primary and a backup series of the same timeframe: the primary wins wherever it has
 * a bar, holes (including leading and trailing ones) are filled from the backup, and each
 * output bar's source is recorded in `origin` (optional fields a source lacks are absent on its
 * rows, `NaN` in columns). Where both have a real bar, prices (and optionally volume) that
 * differ by more than `tolerance` are reported as disagreements. Never mutates the inputs.
 *
 * @param primary - The preferred source, rows or columns; the result is of its kind.
 * @param backup - The fallback source, rows or columns.
 * @param options - See {@link MergeSourcesOptions}.
 * @returns See {@link MergedSources}.
 * @throws ConfigError for a negative or non-finite tolerance.
 *
 * @example
 * ```ts
 * const bar = (m: number, close: number) => ({ timestamp: Date.UTC(2024, 0, 1, 0, m), open: close, high: close, low: close, close, volume: 1 });
 * const merged = mergeSources([bar(0, 100), bar(2, 101)], [bar(0, 100.5), bar(1, 100.2), bar(2, 101)], { tolerance: 0.001 });
 * merged.bars.map((b) => b.close)  // [100, 100.2, 101]
 * merged.origin                    // Uint8Array [0, 1, 0]
 * merged.disagreements.length      // 4 (open, high, low and close at 00:00 differ by 0.5 %)
 * ```
 */
export function mergeSources(primary: readonly Ohlcv[], backup: OhlcvSeries, options?: MergeSourcesOptions): MergedSources<Ohlcv[]>;
export function mergeSources(primary: OhlcvColumns, backup: OhlcvSeries, options?: MergeSourcesOptions): MergedSources<OhlcvColumns>;
export function mergeSources(
  primary: OhlcvSeries,
  backup: OhlcvSeries,
  options: MergeSourcesOptions = {},
): MergedSources<Ohlcv[] | OhlcvColumns> {
  const tolerance = options.tolerance ?? DEFAULT_CONSISTENCY.relativeTolerance;
  if (typeof tolerance !== 'number' || !(tolerance >= 0) || !Number.isFinite(tolerance)) {
    throw new ConfigError(`Expected \`tolerance\` to be a finite number >= 0, got \`${String(tolerance)}\``, {
      path: ['tolerance'],
      value: tolerance,
    });
  }
  const names = options.names ?? (['primary', 'backup'] as const);
  if (!Array.isArray(names) || names.length !== 2 || names.some((name) => typeof name !== 'string')) {
    throw new ConfigError(`Expected \`names\` to be two strings, got \`${String(names)}\``, { path: ['names'], value: names });
  }
  const sources: readonly [string, string] = [names[0], names[1]];
  const compareVolume = options.compareVolume ?? false;
  const preferRealBackup = options.preferRealBackup ?? true;

  const asColumns = isOhlcvColumns(primary);
  // Columns are checked once here (rows are read field by field, non-numbers as NaN).
  const refusedP = asColumns ? readSeries(primary).defects[0] : undefined;
  const refusedB = isOhlcvColumns(backup) ? readSeries(backup).defects[0] : undefined;
  const columnsOf = (series: OhlcvSeries, refused: SeriesDefect | undefined): OhlcvColumns =>
    refused !== undefined ? EMPTY_SERIES : isOhlcvColumns(series) ? series : rowsToCountedColumns(series);
  const cleanP = sanitizeSeries(columnsOf(primary, refusedP), undefined);
  const cleanB = sanitizeSeries(columnsOf(backup, refusedB), undefined);
  const refusals = [refusedP, refusedB].flatMap((refused, k): SourceIssue[] =>
    refused === undefined
      ? []
      : [{ ...aggregateIssue('malformed_columns', -1, Number.NaN, `${sources[k]}: ${refused.message}`), source: sources[k] as string }],
  );
  const issues: SourceIssue[] = [
    ...refusals,
    ...cleanP.issues.map((issue) => ({ ...issue, source: sources[0], message: `${sources[0]}: ${issue.message}` })),
    ...cleanB.issues.map((issue) => ({ ...issue, source: sources[1], message: `${sources[1]}: ${issue.message}` })),
  ];
  const p = cleanP.columns;
  const b = cleanB.columns;
  const np = p.length;
  const nb = b.length;
  const which = new Uint8Array(np + nb);
  const row = new Int32Array(np + nb);
  const disagreements: SourceDisagreement[] = [];
  const fields = compareVolume ? [...COMPARED, 'volume' as const] : COMPARED;
  let m = 0;
  let i = 0;
  let k = 0;
  let filled = 0;
  while (i < np || k < nb) {
    const tp = i < np ? (p.timestamp[i] as number) : Number.POSITIVE_INFINITY;
    const tb = k < nb ? (b.timestamp[k] as number) : Number.POSITIVE_INFINITY;
    if (tp < tb) {
      which[m] = MergeOrigin.Primary;
      row[m++] = i++;
    } else if (tb < tp) {
      which[m] = MergeOrigin.Backup;
      row[m++] = k++;
      filled++;
    } else {
      const pSynthetic = isSynthetic(p.flags, i);
      const bSynthetic = isSynthetic(b.flags, k);
      if (pSynthetic && !bSynthetic && preferRealBackup) {
        which[m] = MergeOrigin.Backup;
        row[m++] = k;
        filled++;
      } else {
        if (!pSynthetic && !bSynthetic) {
          for (const field of fields) {
            const a = p[field][i] as number;
            const c = b[field][k] as number;
            const scale = Math.max(Math.abs(a), Math.abs(c));
            const diff = scale === 0 ? 0 : Math.abs(a - c) / scale;
            if (diff > tolerance || Number.isNaN(diff)) {
              disagreements.push({ timestamp: tp, field, primary: a, backup: c, relativeDifference: diff });
            }
          }
        }
        which[m] = MergeOrigin.Primary;
        row[m++] = i;
      }
      i++;
      k++;
    }
  }
  const merged = gatherColumns([p, b], which, row, m);
  const origin = which.slice(0, m);
  return { bars: asColumns ? merged : toRows(merged), origin, sources, filled, disagreements, issues };
}
