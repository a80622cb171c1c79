import { ConfigError } from '../errors/config-error.js';
import { readSeries } from '../internal/series-input.js';
import { timestampsOf } from '../internal/columns.js';
import { dedupeColumns, dedupeRows, planDedupe, sameColumns, sameRows } from './internal/dedupe-kernel.js';
import { DEFAULT_PREPROCESSING } from '../schemas/config.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import { isOhlcvColumns, type OhlcvColumns, type OhlcvSeries } from '../schemas/ohlcv-columns.js';
import type { DuplicateIssue, DuplicatePolicy } from './duplicate-issue.js';

/** Options of {@link dedupe}. */
export interface DedupeOptions {
  /**
   * Which bar wins a conflict; see {@link DuplicatePolicy}.
   *
   * @defaultValue `'last'` (`DEFAULT_PREPROCESSING.duplicatePolicy`)
   */
  readonly keep?: DuplicatePolicy;
}

/** The result of {@link dedupe}. */
export interface DedupeResult<S extends OhlcvSeries> {
  /** One bar per timestamp, in the order of each timestamp's first appearance. */
  readonly bars: S;
  /** One issue per bar dropped or merged away, in time-group order. */
  readonly issues: readonly DuplicateIssue[];
}

/**
 * One bar per timestamp. Identical duplicates are dropped; conflicting ones are resolved by
 * `keep` and reported. Duplicates are found anywhere in the input (not only next to each
 * other); the surviving bar takes the position of its timestamp's first appearance, so
 * sorted input stays sorted. Idempotent: `dedupe(dedupe(x).bars)` changes nothing.
 *
 * @param bars - Rows or columns.
 * @param options - See {@link DedupeOptions}.
 * @returns A new series of the same kind (rows keep their objects, merged rows are new) and
 *   one {@link DuplicateIssue} per bar that disappeared.
 * @throws {@link ConfigError} when `keep` is not `first`, `last` or `merge`.
 *
 * @example
 * ```ts
 * dedupe([{ timestamp: 0, close: 1, ... }, { timestamp: 0, close: 2, ... }], { keep: 'last' })
 * // bars: [{ timestamp: 0, close: 2, ... }]
 * // issues: [{ code: 'duplicate_conflict', index: 0, keptIndex: 1, resolution: 'dropped', ... }]
 * ```
 */
export function dedupe<S extends OhlcvSeries>(
  bars: S,
  options: DedupeOptions = {},
): DedupeResult<S extends OhlcvColumns ? OhlcvColumns : Ohlcv[]> {
  type Out = S extends OhlcvColumns ? OhlcvColumns : Ohlcv[];
  const keep: unknown = options.keep ?? DEFAULT_PREPROCESSING.duplicatePolicy;
  if (keep !== 'first' && keep !== 'last' && keep !== 'merge') {
    throw new ConfigError(`Expected \`keep\` to be 'first', 'last' or 'merge', got \`${String(keep)}\``, {
      path: ['keep'],
      value: keep,
    });
  }
  const series: OhlcvSeries = readSeries(bars).series;
  const ts = timestampsOf(series);
  if (isOhlcvColumns(series)) {
    const plan = planDedupe(ts, sameColumns(series), keep);
    return { bars: dedupeColumns(series, plan) as Out, issues: plan.issues };
  }
  const plan = planDedupe(ts, sameRows(series), keep);
  return { bars: dedupeRows(series, plan) as Out, issues: plan.issues };
}
