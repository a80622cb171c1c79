import { DEFAULT_FEED_POLICY, type FeedPolicy } from './feed-policy.js';
import type { FeedState } from './feed-state.js';

/**
 * The earliest time at which a `tick` to `nextFeedState` would change something: a ladder step
 * falling due (`retryAt`, `failoverAt`, `haltAt`) or a source's outage becoming longer than
 * `sourceUnavailableMs` (strictly longer, so 1 ms after the limit, for integer ms clocks).
 * The caller schedules its timer for this time; ticking earlier is harmless.
 *
 * @param state - The current state.
 * @param policy - The policy given to `nextFeedState`.
 * @returns Epoch ms, or `null` when nothing is pending (only events can change the state).
 *
 * @example
 * ```ts
 * const { state } = nextFeedState(initialFeedState(), { kind: 'failed', source: 'primary', failure: 'timeout' }, 30_000);
 * nextFeedDeadline(state) // 35000 (the retry, 5 s after detection)
 * ```
 */
export function nextFeedDeadline(state: FeedState, policy: FeedPolicy = DEFAULT_FEED_POLICY): number | null {
  let deadline: number | null = null;
  const consider = (t: number): void => {
    if (deadline === null || t < deadline) deadline = t;
  };
  if (state.kind === 'detected') consider(state.retryAt);
  else if (state.kind === 'retrying') consider(state.failoverAt);
  else if (state.kind === 'cached') consider(state.haltAt);
  for (const stats of [state.primary, state.backup]) {
    if (stats.down && !stats.escalated && stats.failingSince !== null) {
      consider(stats.failingSince + policy.sourceUnavailableMs + 1);
    }
  }
  return deadline;
}
