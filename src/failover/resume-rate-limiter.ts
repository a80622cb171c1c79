import type { RateLimitConfig } from '../schemas/config.js';
import { applyServerFeedback } from './apply-server-feedback.js';
import { createRateLimiter } from './create-rate-limiter.js';
import { MAX_RETRY_AFTER_MS, type RateLimiterState } from './rate-limiter-state.js';

/** Whether `a` and `b` are the same limiter model with the same numbers (their use aside). */
function sameModel(a: RateLimiterState, b: RateLimiterState): boolean {
  switch (a.kind) {
    case 'sliding_window':
      return b.kind === a.kind && b.limit === a.limit && b.windowMs === a.windowMs;
    case 'weight_window':
      return b.kind === a.kind && b.limit === a.limit && b.windowMs === a.windowMs;
    case 'token_bucket':
      return b.kind === a.kind && b.capacity === a.capacity && b.refillPerMs === a.refillPerMs;
  }
}

/**
 * The limiter a resumed pipeline uses for a source, from the state a checkpoint saved at `at`
 * (epoch ms) and the rate limit configured now.
 *
 * - The same model with the same numbers: the saved state, its use kept, with a server's block
 *   no longer than {@link MAX_RETRY_AFTER_MS} from `at`.
 * - Another model or other numbers (the configuration changed, or the checkpoint is from a
 *   version with another default, such as the token bucket that granted about 2,399 requests in
 *   its first minute): the configured limiter, as if its whole limit had been used at `at` —
 *   what the saved one granted cannot be translated, and assuming the window spent is the only
 *   choice that can never exceed the limit — with the saved block carried over (capped).
 *
 * @param saved - The checkpoint's limiter state (plain JSON, already checked for shape).
 * @param config - The rate limit configured now.
 * @param at - When the checkpoint was taken, epoch ms.
 * @returns A limiter state of the configured model.
 *
 * @example
 * ```ts
 * const old = { kind: 'token_bucket', capacity: 1200, refillPerMs: 0.02, tokens: 1200, updatedAt: 0, blockedUntil: null, blockReason: null } as const;
 * resumeRateLimiter(old, DEFAULT_RATE_LIMIT, 0).kind // 'sliding_window'
 * tryAcquire(resumeRateLimiter(old, DEFAULT_RATE_LIMIT, 0), 1000) // { granted: false, waitMs: 59000, … }
 * ```
 */
export function resumeRateLimiter(saved: RateLimiterState, config: RateLimitConfig, at: number): RateLimiterState {
  const fresh = createRateLimiter(config);
  const latest = at + MAX_RETRY_AFTER_MS;
  if (sameModel(saved, fresh)) {
    return saved.blockedUntil !== null && saved.blockedUntil > latest ? { ...saved, blockedUntil: latest } : saved;
  }
  const limit = fresh.kind === 'token_bucket' ? fresh.capacity : fresh.limit;
  let resumed = applyServerFeedback(fresh, at, { kind: 'used_weight', used: limit, sentAt: at });
  if (saved.blockedUntil !== null && saved.blockReason !== null && saved.blockedUntil > at) {
    resumed = applyServerFeedback(resumed, at, { kind: saved.blockReason, retryAfterMs: saved.blockedUntil - at });
  }
  return resumed;
}
