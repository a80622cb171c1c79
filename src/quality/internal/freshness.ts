/**
 * The arithmetic of freshness, shared by `checkFreshness` (which also validates its inputs and
 * explains its verdict) and the pipeline, which re-scores every series' freshness each cycle.
 * Never exported from the package.
 */
import type { FreshnessConfig } from '../../schemas/config.js';
import type { Timeframe } from '../../time/timeframe.js';
import { gridOf } from '../../time/timeframe-grid.js';

/** When the bar that opens at `open` closes, epoch ms; NaN when `open` is not finite or has no calendar month. */
export function closeTimeOf(open: number, tf: Timeframe): number {
  return Number.isFinite(open) ? gridOf(tf).next(open) : Number.NaN;
}

/** The largest acceptable delay of a bar that opens at `open` and closes at `closeTime`, ms: the configured one, else the bar's width. */
export function maxDelayOf(config: FreshnessConfig, tf: Timeframe, open: number, closeTime: number): number {
  return config.maxDelayMs[tf] ?? closeTime - open;
}

/** 1 while `delayMs` is within `maxDelayMs`, falling linearly to 0 at twice the limit. */
export function freshnessScore(delayMs: number, maxDelayMs: number): number {
  return delayMs <= maxDelayMs ? 1 : Math.max(0, Math.min(1, 2 - delayMs / maxDelayMs));
}

/** The freshness score at `now` of a series whose newest bar opens at `open` (0 without a usable bar). */
export function freshnessAt(open: number, tf: Timeframe, now: number, config: FreshnessConfig): number {
  const closeTime = closeTimeOf(open, tf);
  return Number.isFinite(closeTime) ? freshnessScore(now - closeTime, maxDelayOf(config, tf, open, closeTime)) : 0;
}
