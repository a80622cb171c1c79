import { DEFAULT_FEED_POLICY, type FeedPolicy } from './feed-policy.js';

/**
 * When a source whose newest bar opened at `lastBar` becomes stale: the specification's "no
 * data for 30 seconds", counted from the moment the next bar was due. The bar after `lastBar`
 * opens at `lastBar + barIntervalMs` and closes one interval later; if it has not come
 * `timeoutMs` after that close, the source has brought no data for `timeoutMs`.
 *
 * An answer that leaves its source stale is not a success for the feed state machine
 * (`nextFeedState` treats it as a detection, `detectedBy: 'stale'`), and the pipeline asks a
 * source whose due bar is missing again no later than this time.
 *
 * @param lastBar - Open time of the newest bar the source has delivered, epoch ms.
 * @param policy - `barIntervalMs` and `timeoutMs` are used.
 * @returns Epoch ms: `lastBar + 2 × barIntervalMs + timeoutMs`.
 *
 * @example
 * ```ts
 * // 1m bars, 30 s timeout: the 10:29 bar is the newest → the 10:30 bar closes at 10:31 → stale from 10:31:30.
 * staleSince(Date.UTC(2025, 0, 30, 10, 29)) // Date.UTC(2025, 0, 30, 10, 31, 30)
 * ```
 */
export function staleSince(lastBar: number, policy: FeedPolicy = DEFAULT_FEED_POLICY): number {
  return lastBar + 2 * policy.barIntervalMs + policy.timeoutMs;
}
