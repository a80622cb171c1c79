import { ConfigError } from '../errors/config-error.js';
import { recordGrant } from './internal/record-grant.js';
import { refreshRateLimiter } from './internal/refresh-rate-limiter.js';
import { waitForRoom } from './internal/wait-for-room.js';
import type { RateLimitDecision, RateLimiterState } from './rate-limiter-state.js';

/**
 * Asks the limiter for permission to send a request of `weight` now. Granted requests take
 * their weight; refused ones take nothing and say how long to wait: `waitMs` is exactly the
 * time until the request can be granted (rounded up to whole ms), never more, so a request is
 * never held back while the limit has room. Nothing is granted while a `Retry-After` or ban
 * from the server is in force. The state is never mutated.
 *
 * - Sliding window (the default): granted when the weight granted in the last `windowMs`
 *   plus `weight` is at most `limit`; otherwise `waitMs` is the time until enough of those
 *   grants are `windowMs` old. Every window of `windowMs`, wherever it starts, holds at most
 *   `limit`.
 * - Token bucket: granted when at least `weight` tokens are left; otherwise `waitMs` is the
 *   time until enough tokens have refilled.
 * - Weight window: granted when `used + weight <= limit`; otherwise `waitMs` is the time
 *   until the next clock-aligned window.
 * - Blocked by the server: `waitMs` runs to the end of the block, plus the time the limit
 *   then still needs.
 *
 * @param state - The limiter's state.
 * @param now - Current time, epoch ms.
 * @param weight - The request's weight (1 for a plain request; Binance gives each endpoint its own).
 * @returns `{ state, granted: true }` or `{ state, granted: false, waitMs }` with `waitMs >= 1`.
 * @throws {@link ConfigError} when `weight` is negative, not finite, or larger than the limit
 *   (such a request could never be granted).
 *
 * @example
 * ```ts
 * const limiter = createRateLimiter(BINANCE_WEIGHT_LIMIT);
 * tryAcquire(limiter, Date.UTC(2025, 0, 30, 10, 30, 15), 6000).granted // true
 * tryAcquire(tryAcquire(limiter, Date.UTC(2025, 0, 30, 10, 30, 15), 6000).state, Date.UTC(2025, 0, 30, 10, 30, 15), 1)
 * // { state, granted: false, waitMs: 45000 } (until 10:31:00)
 *
 * const rpm = tryAcquire(createRateLimiter(), 0, 1200).state; // the default: 1200 in any 60 s
 * tryAcquire(rpm, 30_000, 1) // { state, granted: false, waitMs: 30000 } (when the grant at 0 is 60 s old)
 * ```
 */
export function tryAcquire(state: RateLimiterState, now: number, weight = 1): RateLimitDecision {
  const max = state.kind === 'token_bucket' ? state.capacity : state.limit;
  if (!(weight >= 0 && weight <= max)) {
    throw new ConfigError(`Expected \`weight\` to be a number from 0 to the limit ${max}, got \`${weight}\``, {
      path: ['weight'],
      value: weight,
    });
  }
  const s = refreshRateLimiter(state, now);
  if (s.blockedUntil !== null) {
    const end = s.blockedUntil;
    const wait = end - now + waitForRoom(refreshRateLimiter(s, end), end, weight);
    return { state: s, granted: false, waitMs: Math.max(1, Math.ceil(wait)) };
  }
  const wait = waitForRoom(s, now, weight);
  if (wait > 0) return { state: s, granted: false, waitMs: Math.max(1, Math.ceil(wait)) };
  switch (s.kind) {
    case 'sliding_window':
      return { state: { ...s, grants: recordGrant(s.grants, now, weight) }, granted: true };
    case 'token_bucket':
      return { state: { ...s, tokens: s.tokens - weight }, granted: true };
    case 'weight_window':
      return { state: { ...s, used: s.used + weight }, granted: true };
  }
}
