import { contextFields } from './internal/summarise-findings.js';
import { isoTime } from '../internal/iso-utc.js';
import { closeTimeOf, freshnessScore, maxDelayOf } from './internal/freshness.js';
import { requireFinite, requireTimeframe, resolveSection } from '../internal/options.js';
import { AlertSeverity } from '../schemas/alert-schema.js';
import { DEFAULT_FRESHNESS, FreshnessConfigSchema, type FreshnessConfig } from '../schemas/config.js';
import { QualityIssueType } from '../schemas/quality-report-schema.js';
import { DAY_MS, FIXED_WIDTH_MS, type Timeframe } from '../time/timeframe.js';
import { QualityCheck, type QualityFinding } from './quality-finding.js';

/** What {@link checkFreshness} returns. */
export interface FreshnessResult {
  /**
   * 1 while the delay is at most `maxDelayMs`, then falling linearly to 0 at twice the
   * maximum; 0 without a last bar. Always in [0, 1].
   */
  readonly score: number;
  /** Whether the delay exceeds the maximum (or there is no bar). */
  readonly stale: boolean;
  /**
   * `now − close time` in ms, where the close time is `timestamp + duration` of the newest
   * bar; negative while that bar is still forming. Absent without a last bar.
   */
  readonly delayMs?: number;
  /** The newest bar's close time, epoch ms. Absent without a last bar. */
  readonly closeTime?: number;
  /** The maximum delay applied, ms: the timeframe's `maxDelayMs`, or its own duration when not configured. */
  readonly maxDelayMs: number;
  /** A `stale_data` finding when stale: rule `max_delay` (severity `warning`, `critical` at score 0) or `no_data`. */
  readonly issues: readonly QualityFinding[];
}

/** Options of {@link checkFreshness} beyond the positional arguments. */
export interface CheckFreshnessOptions {
  /** Stamped on the findings. */
  readonly symbol?: string;
}

/**
 * The freshness metric: how long ago the newest bar closed. The delay is measured from the
 * bar's close (`timestamp + duration`), not its open, so a 1m bar opened at 10:29 and
 * judged at 10:30:30 is 30 s late. Score 1 up to the timeframe's maximum delay (1m 60 s,
 * 5m 300 s, 1H 3600 s; other timeframes their own duration), then falling linearly to 0 at
 * twice the maximum.
 *
 * @param lastBarTimestamp - Open time of the newest bar, epoch ms; `undefined` (or a non-finite value) when there is none.
 * @param timeframe - The bars' timeframe.
 * @param now - The current time, epoch ms.
 * @param config - Overrides of {@link DEFAULT_FRESHNESS}.
 * @param options - See {@link CheckFreshnessOptions}.
 * @returns The score, the delay and a finding when stale.
 * @throws {@link ConfigError} for an unknown timeframe, a non-finite `now` or an invalid config.
 *
 * @example
 * ```ts
 * const open = Date.UTC(2025, 0, 30, 10, 29);
 * checkFreshness(open, '1m', Date.UTC(2025, 0, 30, 10, 30, 30)).score // 1 (30 s after the close)
 * checkFreshness(open, '1m', Date.UTC(2025, 0, 30, 10, 31, 30)).score // 0.5 (90 s: half-way from 60 s to 120 s)
 * ```
 */
export function checkFreshness(
  lastBarTimestamp: number | undefined,
  timeframe: Timeframe,
  now: number,
  config?: Partial<FreshnessConfig>,
  options: CheckFreshnessOptions = {},
): FreshnessResult {
  const tf = requireTimeframe(timeframe, ['timeframe']);
  const at = requireFinite(now, ['now']);
  const resolved = resolveSection(FreshnessConfigSchema, DEFAULT_FRESHNESS, config, ['config']);
  const context = contextFields({ symbol: options.symbol, timeframe: tf });
  const last = lastBarTimestamp ?? Number.NaN;
  // A time beyond the range of dates has no calendar month (NaN close): treated as no bar.
  const closeTime = closeTimeOf(last, tf);
  if (!Number.isFinite(closeTime)) {
    const maxDelayMs = resolved.maxDelayMs[tf] ?? (tf === '1M' ? 31 * DAY_MS : FIXED_WIDTH_MS[tf]);
    return {
      score: 0,
      stale: true,
      maxDelayMs,
      issues: [
        {
          type: QualityIssueType.StaleData,
          rule: QualityCheck.NoData,
          severity: AlertSeverity.Critical,
          ...context,
          count: 0,
          message: `No ${tf} bar with a usable timestamp: nothing is fresh`,
        },
      ],
    };
  }
  const maxDelayMs = maxDelayOf(resolved, tf, last, closeTime);
  const delayMs = at - closeTime;
  const score = freshnessScore(delayMs, maxDelayMs);
  const stale = delayMs > maxDelayMs;
  const issues: QualityFinding[] = stale
    ? [
        {
          type: QualityIssueType.StaleData,
          rule: QualityCheck.MaxDelay,
          severity: score === 0 ? AlertSeverity.Critical : AlertSeverity.Warning,
          ...context,
          timestamp: last,
          endTimestamp: last,
          count: 1,
          message: `The newest ${tf} bar (${isoTime(last)}) closed ${(delayMs / 1000).toFixed(1)} s ago (limit ${maxDelayMs / 1000} s)`,
        },
      ]
    : [];
  return { score, stale, delayMs, closeTime, maxDelayMs, issues };
}
