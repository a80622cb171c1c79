import { outlierState, scanOutliers, type OutlierState } from './internal/outlier-scan.js';
import { freshnessAt } from './internal/freshness.js';
import { requireTimeframe, resolveSection } from '../internal/options.js';
import { weighQuality } from './internal/weigh-quality.js';
import { BarFlagCode } from '../schemas/bar-flag.js';
import {
  DEFAULT_FRESHNESS,
  DEFAULT_VALIDITY,
  FreshnessConfigSchema,
  ValidityConfigSchema,
  type FreshnessConfig,
} from '../schemas/config.js';
import type { QualityWeights, ValidityConfig } from '../schemas/config.js';
import type { Ohlcv } from '../schemas/ohlcv.js';
import type { OhlcvColumns } from '../schemas/ohlcv-columns.js';
import { bucketEnd } from '../time/bucket-end.js';
import { bucketStart } from '../time/bucket-start.js';
import { expectedBarCount } from '../time/expected-bar-count.js';
import { isAligned } from '../time/is-aligned.js';
import { DAY_MS, type Timeframe } from '../time/timeframe.js';
import { validateOhlcv } from '../validate/validate-ohlcv.js';
import type { Outlier } from './outlier.js';
import { INCONSISTENT, INVALID, JudgedBars } from './internal/judged-bars.js';
import { BAD_ROW, CHECK, FAILED_CHECK, NotedRows, ROW } from './internal/noted-rows.js';
import { resolveWeights } from './internal/resolve-weights.js';
import { RowScratch } from './internal/row-scratch.js';
import type { QualityConfig, QualityMetrics } from './score-quality.js';

/** What {@link QualityTracker.score} returns: a series' quality over its window at one instant. */
export interface TrackedQuality {
  /** The four metrics, each in [0, 1]. */
  readonly metrics: QualityMetrics;
  /** The weighted score, in [0, 1] (the same weighing as `scoreQuality`). */
  readonly score: number;
  /** Bars in the window (at least 1). */
  readonly bars: number;
  /** Bars in the window that open on the UTC day of `now` (at or after its 00:00). */
  readonly barsToday: number;
}

/**
 * The streaming twin of `scoreQuality` for one series: feed it bars as they arrive and ask for
 * the score at any `now`. Each bar is judged once, when it joins, by the rules `checkValidity`
 * applies (the OHLCV rules of `validateOhlcv` and the outlier tests of `detectOutliers`) and
 * the grid rule of `checkConsistency`. The outlier tests' rolling windows move on with every
 * bar fed, so a bar is judged against the real bars before it exactly as `checkValidity` over
 * the whole series judges it, however the bars arrive. Pure: no clock, no I/O (`now` is an
 * argument).
 *
 * The window at `now` holds the bars that open at or after `now − max(1 day, 30 bars)`
 * ({@link QualityTracker.windowStart}), and the notes — rows refused before they became bars
 * ({@link QualityTracker.refuse}), comparisons with another answer
 * ({@link QualityTracker.compare}) — made at or after it. Over it, at `now`:
 * - completeness = bars / grid slots from the window's first bar (or from the first slot
 *   expected, {@link QualityTracker.expectFrom}, when earlier but in the window) to the close
 *   of the newest bar (at most 1);
 * - validity = share of the window's bars and refused rows judged valid and not outliers;
 * - consistency = share of checks passed: the bars and refused rows on the timeframe grid, and
 *   the comparisons that agree;
 * - freshness = `checkFreshness`'s score of the newest bar at `now`;
 * - score = the four weighted as `scoreQuality` weighs them.
 *
 * These are `scoreQuality(windowBars, { timeframe, now, config })`'s metrics and score (no
 * `start` or `end`: completeness is measured from the window's first bar, not from the
 * window's start; with notes, `scoreQuality` over the bars and the refused rows as they came,
 * with `start` = the expected start), with two differences by definition, both proved in
 * `test/quality/quality-tracker.test.ts`:
 * - validity judges the window's first bars against the bars fed before the window (as
 *   `checkValidity` over every bar fed does), where `scoreQuality` over the window alone starts
 *   its outlier windows empty; the two agree when the window holds every bar fed;
 * - completeness counts bars against the grid slots from the first slot at or after the
 *   window's first bar, where `checkCompleteness` counts occupied buckets from the bucket that
 *   holds it: they differ when the first bar is off the grid, or when two bars share a bucket.
 *
 * Invariant: timestamps fed strictly increase and are finite; every bar fed (judged or
 * history) opens at or before {@link QualityTracker.fed}; the bars held are those judged
 * and not yet dropped.
 *
 * @example
 * ```ts
 * const t = Date.UTC(2025, 0, 30, 10, 0);
 * const bar = (m: number) => ({ timestamp: t + m * 60_000, open: 100, high: 101, low: 99, close: 100, volume: 5 });
 * const tracker = new QualityTracker('1m');
 * tracker.addRows([bar(0), bar(1)]);
 * tracker.addRows([bar(3)]); // bar 2 is missing
 * tracker.score(t + 4 * 60_000 + 5_000)
 * // { metrics: { completeness: 0.75, validity: 1, freshness: 1, consistency: 1 }, score: 0.925, bars: 3, barsToday: 3 }
 * ```
 */
export class QualityTracker {
  /**
   * Real bars of history the first bar to judge needs before it, so that it is judged as in
   * the whole series: the longer outlier window plus one (the previous close of the first
   * return). Filled bars are not fed into the windows, so a caller reading history by time
   * reads further back while it holds fewer (see {@link QualityTracker.realBars}).
   *
   * @param validity - The resolved validity configuration.
   * @returns A number of bars.
   */
  static history(validity: ValidityConfig): number {
    return Math.max(validity.outlierWindow, validity.volumeWindow) + 1;
  }

  /**
   * Bars the outlier windows take among `bars[0..end)`: those without a flag (the scan skips
   * interpolated, forward-filled and clipped bars alike).
   *
   * @param bars - Columns, `flags` optional (absent: all real).
   * @param end - Index, exclusive.
   * @returns A count.
   */
  static realBars(bars: OhlcvColumns, end: number): number {
    const flags = bars.flags;
    if (flags === undefined) return end;
    let real = 0;
    for (let i = 0; i < end; i++) if (flags[i] === BarFlagCode.None) real++;
    return real;
  }

  /**
   * Length of the quality window of `timeframe` at `now`: `max(1 day, 30 bars)`, a bar being
   * the width of the timeframe's bucket that holds `now` (calendar months vary).
   *
   * @param timeframe - A canonical timeframe.
   * @param now - Epoch ms.
   * @returns Milliseconds.
   *
   * @example
   * ```ts
   * QualityTracker.windowMs('1m', Date.UTC(2025, 0, 30)) // 86400000 (1 day, longer than 30 minutes)
   * QualityTracker.windowMs('1H', Date.UTC(2025, 0, 30)) // 108000000 (30 hours)
   * ```
   */
  static windowMs(timeframe: Timeframe, now: number): number {
    const width = bucketEnd(now, timeframe) - bucketStart(now, timeframe);
    return Math.max(DAY_MS, 30 * width);
  }

  readonly #timeframe: Timeframe;
  readonly #validity: ValidityConfig;
  readonly #freshness: FreshnessConfig;
  readonly #weights: QualityWeights;
  #windows: OutlierState;
  readonly #found: Outlier[] = [];
  #held = new JudgedBars();
  readonly #noted = new NotedRows();
  readonly #scratch = new RowScratch();
  #fed = Number.NEGATIVE_INFINITY;
  /** The first grid slot bars are expected in (see {@link QualityTracker.expectFrom}); `Infinity` when none was set. */
  #expectedFrom = Number.POSITIVE_INFINITY;

  /**
   * @param timeframe - The series' timeframe (the grid). ccxt spellings are accepted.
   * @param config - The sections read: `validity` (rules, windows, thresholds), `freshness`
   *   (maximum delays) and `weights`, each merged over its default as `scoreQuality` merges
   *   it; other sections are ignored. A whole `PipelineConfig` fits.
   * @throws {@link ConfigError} for an unknown timeframe or an invalid section.
   */
  constructor(timeframe: Timeframe, config: QualityConfig = {}) {
    this.#timeframe = requireTimeframe(timeframe, ['timeframe']);
    this.#validity = resolveSection(ValidityConfigSchema, DEFAULT_VALIDITY, config.validity, ['config', 'validity']);
    this.#freshness = resolveSection(FreshnessConfigSchema, DEFAULT_FRESHNESS, config.freshness, ['config', 'freshness']);
    this.#weights = resolveWeights(config.weights);
    this.#windows = outlierState(this.#validity);
  }

  /** Open time of the newest bar fed (judged, or history for the outlier windows), epoch ms; `-Infinity` before the first. */
  get fed(): number {
    return this.#fed;
  }

  /** Open time of the newest bar held, epoch ms; `-Infinity` when empty. */
  get newest(): number {
    return this.#held.newest();
  }

  /** Open time of the oldest bar held, epoch ms; `undefined` when empty. */
  first(): number | undefined {
    return this.#held.first();
  }

  /** Bars held. */
  get size(): number {
    return this.#held.size;
  }

  /** Bars held that are not valid (a broken OHLCV rule or an outlier). */
  get invalid(): number {
    return this.#held.invalid;
  }

  /** Bars held that are not consistent (off the timeframe grid). */
  get inconsistent(): number {
    return this.#held.inconsistent;
  }

  /**
   * Start of the quality window at `now`: `now − max(1 day, 30 bars)`, a bar being the width
   * of the timeframe's bucket that holds `now` (calendar months vary).
   *
   * @param now - Epoch ms.
   * @returns Epoch ms, inclusive.
   */
  windowStart(now: number): number {
    return now - QualityTracker.windowMs(this.#timeframe, now);
  }

  /**
   * Feeds `bars` to the rolling outlier windows in order; judges and holds `bars[from..]`. The
   * bars before `from` are history: on a new tracker, the real bars before the first one to
   * judge ({@link QualityTracker.history}); later, bars fed since that fall before the window.
   *
   * @param bars - Bars newer than {@link QualityTracker.fed}, in strictly increasing time; not modified.
   * @param from - Index of the first bar to judge and hold; 0 (every bar judged) when omitted.
   */
  add(bars: OhlcvColumns, from = 0): void {
    const n = bars.length;
    if (n === 0) return;
    const found = this.#found;
    found.length = 0;
    scanOutliers(bars, this.#validity, this.#windows, found);
    const issues = validateOhlcv(bars).issues;
    this.#fed = bars.timestamp[n - 1] as number;
    if (from >= n) return;
    // As checkValidity counts: a bar that breaks a rule or is an outlier (the union).
    let verdicts: Uint8Array | undefined;
    if (issues.length > 0 || found.length > 0) {
      verdicts = new Uint8Array(n - from);
      for (const issue of issues) if (issue.index >= from) verdicts[issue.index - from] = INVALID;
      for (const outlier of found) if (outlier.index >= from) verdicts[outlier.index - from] = INVALID;
    }
    for (let i = from; i < n; i++) {
      const t = bars.timestamp[i] as number;
      this.#held.push(t, (verdicts?.[i - from] ?? 0) | (isAligned(t, this.#timeframe) ? 0 : INCONSISTENT));
    }
  }

  /**
   * {@link QualityTracker.add} for rows, all judged, through columns the tracker reuses (no
   * allocation per call): for feeding a series' new bars as they are stored.
   *
   * @param bars - Bars newer than {@link QualityTracker.fed}, in strictly increasing time; not modified.
   */
  addRows(bars: readonly Ohlcv[]): void {
    this.add(this.#scratch.fill(bars));
  }

  /**
   * Notes a row the caller refused before it became a bar (it broke a rule, was off the grid,
   * came unasked or could not be parsed). It counts as `scoreQuality` counts that row in the
   * series it came in: one more bar for validity, bad when `valid` is false (a broken OHLCV
   * rule other than alignment, as `checkValidity` judges); one alignment check for consistency
   * when `timestamp` is finite, failed when it is off the grid. It never joins the outlier
   * windows or completeness (a refused row fills no slot). It stays in the window while `at`
   * is in it: a refused row's own timestamp may be missing or far away.
   *
   * @param at - When it was refused, epoch ms, at or after the previous note's `at`.
   * @param timestamp - The row's open time, epoch ms; NaN when it has none.
   * @param valid - Whether it breaks no OHLCV rule but alignment.
   */
  refuse(at: number, timestamp: number, valid: boolean): void {
    let note = ROW | (valid ? 0 : BAD_ROW);
    if (Number.isFinite(timestamp)) note |= CHECK | (isAligned(timestamp, this.#timeframe) ? 0 : FAILED_CHECK);
    this.#noted.push(at, note);
  }

  /**
   * Notes one comparison of a bar with another answer for the same open time (a later answer
   * of a source, or a duplicate in one answer): one consistency check, failed when they
   * disagree, as `checkConsistency` counts a comparison with a reference or a duplicate. It
   * stays in the window while `at` is in it.
   *
   * @param at - When it was compared, epoch ms, at or after the previous note's `at`.
   * @param agrees - Whether the two bars agree.
   */
  compare(at: number, agrees: boolean): void {
    this.#noted.push(at, CHECK | (agrees ? 0 : FAILED_CHECK));
  }

  /**
   * Declares that the series is expected to hold a bar in every grid slot from `start` on (the
   * first open time a request asked for): completeness then counts the slots from the later of
   * it and the window's start, as `scoreQuality` does with that `start`, instead of from the
   * first bar held, so a run of missing bars before the first bar counts. The earliest `start`
   * declared holds; bars held before it still count from the first of them.
   *
   * @param start - Epoch ms.
   */
  expectFrom(start: number): void {
    const slot = firstSlotAtOrAfter(start, this.#timeframe);
    if (slot < this.#expectedFrom) this.#expectedFrom = slot;
  }

  /**
   * Forgets the bars held and the outlier windows, as a new tracker (a bar it judged was
   * replaced: feed it again, with its history); the notes and the expected start stay.
   */
  reset(): void {
    this.#held = new JudgedBars();
    this.#windows = outlierState(this.#validity);
    this.#fed = Number.NEGATIVE_INFINITY;
  }

  /**
   * Forgets the bars held that open before `start` (the outlier windows keep what they saw).
   *
   * @param start - Epoch ms.
   */
  dropBefore(start: number): void {
    this.#held.dropBefore(start);
  }

  /**
   * Bars held that open at or after `start` (a binary search).
   *
   * @param start - Epoch ms.
   * @returns A count.
   */
  countSince(start: number): number {
    return this.#held.countSince(start);
  }

  /**
   * Moves the window to `now` (drops the bars before {@link QualityTracker.windowStart}) and
   * scores it.
   *
   * @param now - The current time, epoch ms (freshness and the window are measured from it).
   * @param newest - Open time of the series' newest bar, epoch ms: completeness runs to its
   *   close and freshness is judged on it. {@link QualityTracker.newest} when omitted; a caller
   *   whose store may hold a newer bar than it fed passes that bar's.
   * @returns The metrics, the score and the bar counts; `undefined` when the window is empty.
   */
  score(now: number, newest: number = this.newest): TrackedQuality | undefined {
    this.#held.dropBefore(this.windowStart(now));
    const first = this.#held.first();
    if (first === undefined) return undefined;
    const tf = this.#timeframe;
    const n = this.#held.size;
    const noted = this.#noted;
    noted.dropBefore(this.windowStart(now));
    const from = Math.min(first, Math.max(this.#expectedFrom, firstSlotAtOrAfter(this.windowStart(now), tf)));
    const expected = expectedBarCount(from, bucketEnd(newest, tf), tf);
    const rows = n + noted.rows;
    const checks = n + noted.checks;
    const metrics: QualityMetrics = {
      completeness: expected > 0 ? Math.min(1, n / expected) : 0,
      validity: (rows - this.#held.invalid - noted.badRows) / rows,
      freshness: freshnessAt(newest, tf, now, this.#freshness),
      consistency: (checks - this.#held.inconsistent - noted.failedChecks) / checks,
    };
    return { metrics, score: weighQuality(metrics, this.#weights), bars: n, barsToday: this.#held.countSince(bucketStart(now, '1D')) };
  }

  /**
   * `previous` with only freshness moved to `now`, the window left where it was: a cheap
   * re-score for a caller that keeps a series' score through a UTC day while no bar arrives
   * (as the pipeline's documents do). Equal to {@link QualityTracker.score} at `now` only when
   * the window did not lose a bar since `previous`.
   *
   * @param previous - A score this tracker returned.
   * @param now - The current time, epoch ms.
   * @param newest - Open time of the series' newest bar, epoch ms.
   * @returns `previous` itself when freshness did not change, else a new score.
   */
  refreshed(previous: TrackedQuality, now: number, newest: number): TrackedQuality {
    const freshness = freshnessAt(newest, this.#timeframe, now, this.#freshness);
    if (freshness === previous.metrics.freshness) return previous;
    const metrics: QualityMetrics = { ...previous.metrics, freshness };
    return { ...previous, metrics, score: weighQuality(metrics, this.#weights) };
  }
}

/** The first open time of `tf` at or after `time`. */
function firstSlotAtOrAfter(time: number, tf: Timeframe): number {
  const start = bucketStart(time, tf);
  return start === time ? start : bucketEnd(time, tf);
}
