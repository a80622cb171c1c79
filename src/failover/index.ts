export { FeedPolicySchema, DEFAULT_FEED_POLICY, resolveFeedPolicy } from './feed-policy.js';
export type { FeedPolicy } from './feed-policy.js';
export type {
  FeedSource,
  FeedSourceStats,
  FeedDetection,
  FeedStateBase,
  FeedOutage,
  FeedState,
  FeedStateKind,
  FeedEvent,
  FeedAction,
  FeedActionKind,
  FeedTransition,
} from './feed-state.js';
export { initialFeedState } from './initial-feed-state.js';
export { nextFeedState } from './next-feed-state.js';
export { nextFeedDeadline } from './next-feed-deadline.js';
export { feedHealth } from './feed-health.js';
export type { FeedHealth } from './feed-health.js';
export { DEFAULT_BAN_MS, MAX_RETRY_AFTER_MS } from './rate-limiter-state.js';
export type { RateLimitBlock, RateLimitGrant, RateLimiterState, RateLimitDecision, RateLimitFeedback } from './rate-limiter-state.js';
export { createRateLimiter } from './create-rate-limiter.js';
export { tryAcquire } from './try-acquire.js';
export { applyServerFeedback } from './apply-server-feedback.js';
export { RetryPolicySchema, DEFAULT_RETRY_POLICY } from './retry-policy.js';
export type { RetryPolicy } from './retry-policy.js';
export { retryDelay } from './retry-delay.js';
export { sourcesToPoll } from './sources-to-poll.js';
export { missedBars } from './missed-bars.js';
export type { BarRange, MissedBars } from './missed-bars.js';
export { requestDeadline } from './request-deadline.js';
export { staleSince } from './stale-since.js';
export { resumeRateLimiter } from './resume-rate-limiter.js';
