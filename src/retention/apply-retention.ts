import { retentionFilterColumns, retentionSliceColumns } from './internal/cut-columns.js';
import { readSeries } from '../internal/series-input.js';
import { DEFAULT_RETENTION, type Retention } from '../schemas/config.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import { isOhlcvColumns, type OhlcvColumns, type OhlcvSeries } from '../schemas/ohlcv-columns.js';
import type { Timeframe } from '../time/timeframe.js';
import { retentionCutoff } from './retention-cutoff.js';

/** What `applyRetention` cut: reported, never silently lost. */
export interface RetentionRemoval {
  /** Number of bars removed. */
  readonly count: number;
  /** Oldest open time removed, epoch ms; `null` when nothing was removed. */
  readonly from: number | null;
  /** Newest open time removed, epoch ms; `null` when nothing was removed. */
  readonly to: number | null;
}

/** What `applyRetention` returns. */
export interface RetentionResult<S extends OhlcvSeries> {
  /** The bars kept, of the kind given (the very same series when nothing was removed). */
  readonly bars: S;
  /** What was removed. */
  readonly removed: RetentionRemoval;
  /** Open time of the oldest bar kept (see `retentionCutoff`); `null` when retention is unlimited. */
  readonly cutoff: number | null;
}

/**
 * Drops the bars of timeframe `tf` that are past retention at `now` (open time before
 * `retentionCutoff(tf, now, retention)`) and reports what was dropped. Rows stay rows and
 * columns stay columns, with every optional column carried along; the input is never
 * mutated. A sorted series is cut with one copy per column; an unsorted one is filtered, its
 * order kept. Bars whose timestamp is `NaN` are kept (validation reports them).
 *
 * @param bars - The series, rows or columns.
 * @param tf - Its timeframe.
 * @param now - Current time, epoch ms.
 * @param retention - Retention per timeframe in ms; the specification's table by default.
 * @returns The bars kept, what was removed (count and time range) and the cutoff.
 * @throws {@link ConfigError} when the retention of `tf` is invalid.
 *
 * @example
 * ```ts
 * const now = Date.UTC(2025, 3, 30);
 * const old = { timestamp: now - 91 * 86_400_000, open: 1, high: 1, low: 1, close: 1, volume: 1 };
 * const recent = { ...old, timestamp: now - 60_000 };
 * applyRetention([old, recent], '1m', now).removed // { count: 1, from: now - 91 days, to: now - 91 days }
 * applyRetention([old, recent], '1D', now).removed // { count: 0, from: null, to: null }
 * ```
 */
export function applyRetention(
  bars: readonly Ohlcv[],
  tf: Timeframe,
  now: number,
  retention?: Retention,
): RetentionResult<readonly Ohlcv[]>;
export function applyRetention(bars: OhlcvColumns, tf: Timeframe, now: number, retention?: Retention): RetentionResult<OhlcvColumns>;
export function applyRetention(bars: OhlcvSeries, tf: Timeframe, now: number, retention?: Retention): RetentionResult<OhlcvSeries>;
export function applyRetention(
  input: OhlcvSeries,
  tf: Timeframe,
  now: number,
  retention: Retention = DEFAULT_RETENTION,
): RetentionResult<OhlcvSeries> {
  const bars = readSeries(input).series;
  const cutoff = retentionCutoff(tf, now, retention);
  const nothing: RetentionRemoval = { count: 0, from: null, to: null };
  if (cutoff === undefined) return { bars, removed: nothing, cutoff: null };
  const columns = isOhlcvColumns(bars);
  const n = bars.length;
  const ts: ArrayLike<number> = columns ? bars.timestamp : bars.map((b) => b.timestamp);
  let count = 0;
  let from = Infinity;
  let to = -Infinity;
  // The leading run of bars past retention, then any stragglers among the rest (unsorted input).
  let k = 0;
  for (; k < n; k++) {
    const t = ts[k]!;
    if (!(t < cutoff)) break;
    count++;
    if (t < from) from = t;
    if (t > to) to = t;
  }
  const leading = count;
  for (let i = k + 1; i < n; i++) {
    const t = ts[i]!;
    if (t < cutoff) {
      count++;
      if (t < from) from = t;
      if (t > to) to = t;
    }
  }
  const prefix = count === leading; // every removed bar comes before every kept bar
  if (count === 0) return { bars, removed: nothing, cutoff };
  const removed: RetentionRemoval = { count, from, to };
  if (columns) {
    const kept = prefix ? retentionSliceColumns(bars, count) : retentionFilterColumns(bars, cutoff, n - count);
    return { bars: kept, removed, cutoff };
  }
  const kept = prefix ? bars.slice(count) : bars.filter((bar) => !(bar.timestamp < cutoff));
  return { bars: kept, removed, cutoff };
}
