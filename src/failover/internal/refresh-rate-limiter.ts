import type { RateLimiterState } from '../rate-limiter-state.js';

/**
 * The limiter as of `now`: the bucket refilled, the window moved on, or the grants older than
 * the sliding window forgotten; a block that has passed is lifted. A clock that goes backwards
 * refills nothing, keeps the current window and forgets no grant.
 */
export function refreshRateLimiter(state: RateLimiterState, now: number): RateLimiterState {
  const unblocked = state.blockedUntil !== null && now >= state.blockedUntil;
  const blockedUntil = unblocked ? null : state.blockedUntil;
  const blockReason = unblocked ? null : state.blockReason;
  if (state.kind === 'sliding_window') {
    // A grant made at `at` counts in windows up to `at + windowMs` (excluded).
    const kept = state.grants.findIndex((g) => g.at > now - state.windowMs);
    const first = kept === -1 ? state.grants.length : kept;
    if (first === 0 && !unblocked) return state;
    return { ...state, grants: first === 0 ? state.grants : state.grants.slice(first), blockedUntil, blockReason };
  }
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
