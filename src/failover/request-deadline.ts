import { DEFAULT_FEED_POLICY, type FeedPolicy } from './feed-policy.js';
import type { FeedSource, FeedState } from './feed-state.js';

/**
 * When a request to `source`, sent at `sentAt` in feed state `state`, is abandoned (epoch ms):
 * after the feed timeout (`timeoutMs`, 30 s: "no data for 30 seconds" counts from the moment the
 * request was sent), or earlier when the failover ladder moves past the step the request serves —
 * the retry of the primary is given until `failoverAt` ("use the backup within 10 seconds"), so
 * the backup is asked then instead of after the retry's full timeout. The caller aborts the
 * request at that time and reports it as a `timeout` failure.
 *
 * @example
 * ```ts
 * // Detected at 30 s, retried at 35 s: the retry is abandoned at 45 s, when failing over is due.
 * requestDeadline(retrying, 'primary', 35_000) // 45000
 * requestDeadline(initialFeedState(), 'primary', 0) // 30000
 * ```
 */
export function requestDeadline(state: FeedState, source: FeedSource, sentAt: number, policy: FeedPolicy = DEFAULT_FEED_POLICY): number {
  const timeout = sentAt + policy.timeoutMs;
  return state.kind === 'retrying' && source === 'primary' ? Math.min(timeout, Math.max(sentAt, state.failoverAt)) : timeout;
}
