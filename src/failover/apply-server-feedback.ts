import { recordGrant } from './internal/record-grant.js';
import { refreshRateLimiter } from './internal/refresh-rate-limiter.js';
import {
  DEFAULT_BAN_MS,
  MAX_RETRY_AFTER_MS,
  type RateLimitBlock,
  type RateLimitFeedback,
  type RateLimiterState,
} from './rate-limiter-state.js';

function block(state: RateLimiterState, until: number, reason: RateLimitBlock): RateLimiterState {
  if (state.blockedUntil !== null && state.blockedUntil >= until) return state;
  return { ...state, blockedUntil: until, blockReason: reason };
}

/** A sliding window whose grants of the last `windowMs` weigh at least `used`, the difference taken at `now`. */
function atLeast(state: Extract<RateLimiterState, { kind: 'sliding_window' }>, now: number, used: number): RateLimiterState {
  const ours = state.grants.reduce((sum, g) => sum + g.weight, 0);
  return used > ours ? { ...state, grants: recordGrant(state.grants, now, used - ours) } : state;
}

/** A server's wait in ms, at most {@link MAX_RETRY_AFTER_MS}; `null` when absent, zero or negative. */
function positiveMs(value: number | undefined): number | null {
  return value !== undefined && value > 0 ? Math.min(value, MAX_RETRY_AFTER_MS) : null;
}

/**
 * Updates a limiter with what the server said: the weight it counts as used, an HTTP 429 with
 * `Retry-After`, or an HTTP 418 ban. The server is the authority: the limiter becomes at least
 * as strict as the server's answer, never looser. Values that make no sense (negative, not
 * finite) are ignored, as bad data from a server never throws. The state is never mutated.
 *
 * - `used_weight`: the window's `used` becomes at least the server's count; a token bucket
 *   keeps at most `capacity − used` tokens; a sliding window's last `windowMs` weigh at least
 *   the server's count (the difference is taken at `now`, so it counts for the next `windowMs`).
 *   A header counted in an earlier clock-aligned window (by `sentAt`) is ignored.
 * - `rate_limited`: refuse everything for `retryAfterMs` (at most {@link MAX_RETRY_AFTER_MS}),
 *   and nothing more: the next request may go out when it ends. Without a `Retry-After` the
 *   current window is spent instead (the sliding window filled to its limit, or the bucket
 *   emptied), so that the limiter still backs off.
 * - `banned`: refuse everything for `retryAfterMs` (default {@link DEFAULT_BAN_MS}, at most
 *   {@link MAX_RETRY_AFTER_MS}).
 *
 * A block already in force that ends at the same time or later stays as it is, with its reason.
 *
 * @param state - The limiter's state.
 * @param now - When the answer arrived, epoch ms.
 * @param feedback - What the server said.
 * @returns The new state.
 *
 * @example
 * ```ts
 * const limiter = applyServerFeedback(createRateLimiter(BINANCE_WEIGHT_LIMIT), 0, { kind: 'rate_limited', retryAfterMs: 30_000 });
 * tryAcquire(limiter, 10_000) // { state, granted: false, waitMs: 20000 }
 * ```
 */
export function applyServerFeedback(state: RateLimiterState, now: number, feedback: RateLimitFeedback): RateLimiterState {
  const s = refreshRateLimiter(state, now);
  switch (feedback.kind) {
    case 'used_weight': {
      const used = feedback.used;
      if (!Number.isFinite(used) || used < 0) return s;
      if (s.kind === 'token_bucket') return { ...s, tokens: Math.min(s.tokens, Math.max(0, s.capacity - used)) };
      if (s.kind === 'sliding_window') return atLeast(s, now, used);
      const sentAt = feedback.sentAt;
      if (sentAt !== undefined && Math.floor(sentAt / s.windowMs) * s.windowMs !== s.windowStart) return s;
      return used > s.used ? { ...s, used } : s;
    }
    case 'rate_limited': {
      const spent: RateLimiterState =
        s.kind === 'token_bucket'
          ? { ...s, tokens: 0 }
          : s.kind === 'sliding_window'
            ? atLeast(s, now, s.limit)
            : { ...s, used: Math.max(s.used, s.limit) };
      const wait = positiveMs(feedback.retryAfterMs);
      return wait === null ? spent : block(s, now + wait, 'rate_limited');
    }
    case 'banned':
      return block(s, now + (positiveMs(feedback.retryAfterMs) ?? DEFAULT_BAN_MS), 'banned');
  }
}
