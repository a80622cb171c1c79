import { failoverMedian } from './internal/median.js';
import type { FeedSource, FeedState } from './feed-state.js';

/** Health of one source as the `data_status` document shows it. */
export interface FeedHealth {
  /**
   * - `down`: detected as failing and not answered successfully since;
   * - `degraded`: answering, but with recent errors, elevated latency, a rate limit in force,
   *   or (the primary) still proving itself before the feed switches back to it;
   * - `healthy`: otherwise (also before the first request).
   */
  readonly status: 'healthy' | 'degraded' | 'down';
  /** Time of the last answer of any kind, epoch ms; `null` before the first (`last_response`). */
  readonly lastResponseAt: number | null;
  /** Latency of the last successful answer in ms; `null` before the first (`latency_ms`). */
  readonly latencyMs: number | null;
  /** Median latency of the recent successful answers (the "normal" level) in ms; `null` before the first. */
  readonly normalLatencyMs: number | null;
  /** Whether the last successful answer was slow enough to raise a latency alert. */
  readonly latencyElevated: boolean;
}

/**
 * Health of a feed's source for the `data_status` document: its status, last response and
 * latency. Pure: derived from the state alone (and `now` for rate limits in force).
 *
 * @param state - The feed's state.
 * @param now - Current time, epoch ms.
 * @param source - Which source; the primary by default.
 * @returns The source's health.
 *
 * @example
 * ```ts
 * const { state } = nextFeedState(initialFeedState(), { kind: 'succeeded', source: 'primary', latencyMs: 45 }, 1000);
 * feedHealth(state, 1000) // { status: 'healthy', lastResponseAt: 1000, latencyMs: 45, normalLatencyMs: 45, latencyElevated: false }
 * ```
 */
export function feedHealth(state: FeedState, now: number, source: FeedSource = 'primary'): FeedHealth {
  const stats = state[source];
  const normalLatencyMs = failoverMedian(stats.latencies);
  const rateLimited = stats.rateLimitedUntil !== null && stats.rateLimitedUntil > now;
  const provingItself = source === 'primary' && state.kind !== 'healthy';
  const status = stats.down
    ? 'down'
    : stats.consecutiveErrors > 0 || stats.latencyElevated || rateLimited || provingItself
      ? 'degraded'
      : 'healthy';
  return {
    status,
    lastResponseAt: stats.lastResponseAt,
    latencyMs: stats.latencyMs,
    normalLatencyMs,
    latencyElevated: stats.latencyElevated,
  };
}
