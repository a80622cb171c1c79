import type { RateLimitGrant } from '../rate-limiter-state.js';

/**
 * A sliding window's grants with `weight` taken at `at` (a new array; `grants` is not mutated).
 * Grants stay in ascending time with at most one entry per ms: a grant at the newest entry's
 * time is added to it, and one at an earlier time (a clock that went backwards) is recorded at
 * the newest entry's time, so it never leaves the window earlier than it should. A weight of 0
 * records nothing.
 */
export function recordGrant(grants: readonly RateLimitGrant[], at: number, weight: number): readonly RateLimitGrant[] {
  if (weight <= 0) return grants;
  const last = grants.at(-1);
  if (last === undefined || at > last.at) return [...grants, { at, weight }];
  return [...grants.slice(0, -1), { at: last.at, weight: last.weight + weight }];
}
