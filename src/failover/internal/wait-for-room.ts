import type { RateLimiterState } from '../rate-limiter-state.js';

/**
 * Ms from `now` until a limiter refreshed at `now` (and not blocked) has room for `weight`;
 * 0 when it has room now. Exact, not rounded: the time the bucket needs to refill the missing
 * tokens, the end of the clock-aligned window, or the time when the oldest grants that must
 * leave the sliding window have left it.
 */
export function waitForRoom(state: RateLimiterState, now: number, weight: number): number {
  switch (state.kind) {
    case 'token_bucket':
      return state.tokens >= weight ? 0 : (weight - state.tokens) / state.refillPerMs;
    case 'weight_window':
      return state.used + weight <= state.limit ? 0 : (state.windowStart ?? now) + state.windowMs - now;
    case 'sliding_window': {
      const used = state.grants.reduce((sum, g) => sum + g.weight, 0);
      const excess = used + weight - state.limit;
      if (excess <= 0) return 0;
      // The window has room once the oldest grants holding `excess` weight are windowMs old.
      let freed = 0;
      for (const g of state.grants) {
        freed += g.weight;
        if (freed >= excess) return g.at + state.windowMs - now;
      }
      // Unreachable while weight <= limit (every grant leaving frees `used` >= excess).
      return (state.grants.at(-1)?.at ?? now) + state.windowMs - now;
    }
  }
}
