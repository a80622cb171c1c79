import { DEFAULT_FEED_POLICY, resolveFeedPolicy, type FeedPolicy } from './feed-policy.js';
import type { FeedSourceStats, FeedState } from './feed-state.js';

/** Stats of a source nothing is known about yet. */
const FRESH_SOURCE: FeedSourceStats = {
  consecutiveErrors: 0,
  lastResponseAt: null,
  lastSuccessAt: null,
  latencyMs: null,
  latencies: [],
  latencyElevated: false,
  down: false,
  failingSince: null,
  okSince: null,
  escalated: false,
  rateLimitedSince: null,
  rateLimitedUntil: null,
  lastBar: null,
};

/**
 * The state of a feed before its first request: `healthy`, serving from the primary, nothing
 * known about either source. The policy is validated here, once, so a bad policy fails at
 * construction rather than in the middle of an outage.
 *
 * @param policy - The policy the feed will run with; checked, not stored.
 * @returns A new `healthy` state (plain JSON).
 * @throws {@link ConfigError} when `policy` is invalid.
 *
 * @example
 * ```ts
 * initialFeedState().kind // 'healthy'
 * initialFeedState({ ...DEFAULT_FEED_POLICY, errorThreshold: 0 }) // throws ConfigError
 * ```
 */
export function initialFeedState(policy: FeedPolicy = DEFAULT_FEED_POLICY): FeedState {
  if (policy !== DEFAULT_FEED_POLICY) resolveFeedPolicy(policy);
  return { kind: 'healthy', primary: FRESH_SOURCE, backup: FRESH_SOURCE };
}
