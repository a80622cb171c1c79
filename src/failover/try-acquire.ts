import { ConfigError } from '../errors/config-error.js';
import { refreshRateLimiter } from './internal/refresh-rate-limiter.js';
import type { RateLimitDecision, RateLimiterState } from './rate-limiter-state.js';

/**
 * Asks the limiter for permission to send a request of `weight` now. Granted requests take
 * their weight; refused ones take nothing and say how long to wait. Nothing is granted while a
 * `Retry-After` or ban from the server is in force. The state is never mutated.
 *
 * - Token bucket: granted when at least `weight` tokens are left; otherwise `waitMs` is the
 *   time until enough tokens have refilled.
 * - Weight window: granted when `used + weight <= limit`; otherwise `waitMs` is the time
 *   until the next clock-aligned window.
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
  if (s.blockedUntil !== null) return { state: s, granted: false, waitMs: Math.max(1, Math.ceil(s.blockedUntil - now)) };
  if (s.kind === 'token_bucket') {
    if (s.tokens >= weight) return { state: { ...s, tokens: s.tokens - weight }, granted: true };
    return { state: s, granted: false, waitMs: Math.max(1, Math.ceil((weight - s.tokens) / s.refillPerMs)) };
  }
  if (s.used + weight <= s.limit) return { state: { ...s, used: s.used + weight }, granted: true };
  const windowEnd = (s.windowStart ?? now) + s.windowMs;
  return { state: s, granted: false, waitMs: Math.max(1, Math.ceil(windowEnd - now)) };
}
