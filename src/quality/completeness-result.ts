/** The result types of `checkCompleteness`, in a leaf file shared with its kernels (`internal/completeness-*.ts`). */
import type { QualityFinding } from './quality-finding.js';

/** A run of consecutive missing bars on the timeframe grid. */
export interface MissingRun {
  /** Open time of the first missing bar, epoch ms. */
  readonly timestamp: number;
  /**
   * Open time of the last missing bar, epoch ms: the run's end, **inclusive** (a `Gap` of
   * `detectGaps` ends exclusive; `lastMissingOpen` in `gaps/` is the one conversion).
   */
  readonly endTimestamp: number;
  /** Missing bars in the run (at least 1). */
  readonly count: number;
  /** Longer than `criticalGapBars` on a critical timeframe (1m and 5m: more than 3 bars). */
  readonly critical: boolean;
  /** Longer than the timeframe's `maxGapBars` (1m 5, 5m 2, 1H 1). */
  readonly overLimit: boolean;
}

/** Missing bars of one UTC day, for the daily standard. */
export interface DailyMissing {
  /** The day's start (00:00 UTC), epoch ms. */
  readonly day: number;
  /** Bars expected that day inside the window. */
  readonly expected: number;
  /** Bars missing that day. */
  readonly missing: number;
  /** `missing / expected`, a fraction. */
  readonly share: number;
}

/** What {@link checkCompleteness} returns. */
export interface CompletenessResult {
  /** `present / expected` in [0, 1]; 0 when nothing is expected (an empty series without a window). */
  readonly score: number;
  /** Window start used (epoch ms, inclusive); absent for an empty series without `start`. */
  readonly start?: number;
  /** Window end used (epoch ms, exclusive); absent for an empty series without `end`. */
  readonly end?: number;
  /** Bars expected on the grid inside the window. */
  readonly expected: number;
  /** Grid buckets inside the window holding at least one bar (duplicates count once). */
  readonly present: number;
  /** `expected − present`. */
  readonly missing: number;
  /** `missing / expected`, a fraction (0 when nothing is expected). */
  readonly missingShare: number;
  /** Bars outside the window or with a non-finite timestamp, not counted. */
  readonly ignored: number;
  /** Every run of missing bars, in time order (leading and trailing runs included). */
  readonly gaps: readonly MissingRun[];
  /** Length of the longest run, in bars (0 without gaps). */
  readonly longestGap: number;
  /** The timeframe's maximum run (`maxGapBars`); absent when the configuration sets none. */
  readonly maxGapBars?: number;
  /** Whether no run is longer than `maxGapBars` (true when there is no maximum). */
  readonly withinMaxGap: boolean;
  /** Runs that are critical. */
  readonly criticalGaps: readonly MissingRun[];
  /**
   * UTC days whose missing share exceeds `maxMissingShareDaily` (1 %). Judged for intraday
   * timeframes only (below 1D, where a day holds more than one bar), and not for windows
   * longer than 40,000 days (which only implausible timestamps produce).
   */
  readonly daysOverLimit: readonly DailyMissing[];
  /** Whether no day exceeds the daily standard. */
  readonly meetsDailyStandard: boolean;
  /** One `gap_detected` finding per run (rule `gap`, `max_gap_bars` or `critical_gap`), one per day over the limit, or `no_data`. */
  readonly issues: readonly QualityFinding[];
}
