import type { RateLimiterState } from '../rate-limiter-state.js';

/**
 * The limiter as of `now`: the bucket refilled, or the window moved on; a block that has
 * passed is lifted. A clock that goes backwards refills nothing and keeps the current window.
 */
export function refreshRateLimiter(state: RateLimiterState, now: number): RateLimiterState {
  const unblocked = state.blockedUntil !== null && now >= state.blockedUntil;
  const blockedUntil = unblocked ? null : state.blockedUntil;
  const blockReason = unblocked ? null : state.blockReason;
  if (state.kind === 'token_bucket') {
    if (state.updatedAt === null) return { ...state, updatedAt: now, blockedUntil, blockReason };
    const elapsed = Math.max(0, now - state.updatedAt);
    const tokens = Math.min(state.capacity, state.tokens + elapsed * state.refillPerMs);
    return { ...state, tokens, updatedAt: Math.max(state.updatedAt, now), blockedUntil, blockReason };
  }
  const start = Math.floor(now / state.windowMs) * state.windowMs;
  if (state.windowStart === null || start > state.windowStart) {
    return { ...state, windowStart: start, used: 0, blockedUntil, blockReason };
  }
  return unblocked ? { ...state, blockedUntil, blockReason } : state;
}
