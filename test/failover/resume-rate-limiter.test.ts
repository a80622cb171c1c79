import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/failover/create-rate-limiter.js';
import { MAX_RETRY_AFTER_MS, type RateLimiterState } from '../../src/failover/rate-limiter-state.js';
import { resumeRateLimiter } from '../../src/failover/resume-rate-limiter.js';
import { tryAcquire } from '../../src/failover/try-acquire.js';
import { BINANCE_WEIGHT_LIMIT, DEFAULT_RATE_LIMIT } from '../../src/schemas/config.js';

const MIN = 60_000;

/** How many requests of weight 1 are granted in [from, from + ms), asking every ms as soon as allowed. */
function grantsWithin(state: RateLimiterState, from: number, ms: number): number {
  let s = state;
  let granted = 0;
  for (let t = from; t < from + ms;) {
    const d = tryAcquire(s, t);
    s = d.state;
    if (d.granted) granted++;
    else t += d.waitMs;
  }
  return granted;
}

describe('resumeRateLimiter (specification: 1200 requests per minute, also across a restart)', () => {
  it('a token bucket saved by an earlier version becomes the configured sliding window, its minute spent', () => {
    // The old default, full at the checkpoint: it would grant 1200 at once and 1200 more within the minute.
    const old: RateLimiterState = {
      kind: 'token_bucket',
      capacity: 1200,
      refillPerMs: 1200 / MIN,
      tokens: 1200,
      updatedAt: 0,
      blockedUntil: null,
      blockReason: null,
    };
    const resumed = resumeRateLimiter(old, DEFAULT_RATE_LIMIT, 0);
    expect(resumed.kind).toBe('sliding_window');
    // The checkpoint's minute counts as spent: nothing before 60 s, then 1200 in the next 60 s.
    expect(tryAcquire(resumed, 30_000)).toMatchObject({ granted: false, waitMs: 30_000 });
    expect(grantsWithin(resumed, MIN, MIN)).toBe(1200);
  });

  it('keeps a limiter of the configured model as saved, and carries a server block over to a new model', () => {
    const saved = tryAcquire(createRateLimiter(), 0).state;
    expect(resumeRateLimiter(saved, DEFAULT_RATE_LIMIT, 10)).toBe(saved);
    const banned: RateLimiterState = { ...createRateLimiter(), blockedUntil: 5 * MIN, blockReason: 'banned' };
    const weight = resumeRateLimiter(banned, BINANCE_WEIGHT_LIMIT, 0);
    expect(weight).toMatchObject({ kind: 'weight_window', blockedUntil: 5 * MIN, blockReason: 'banned' });
  });

  it('caps a saved block at 3 days from the checkpoint', () => {
    const silenced: RateLimiterState = { ...createRateLimiter(), blockedUntil: 1e300, blockReason: 'banned' };
    expect(resumeRateLimiter(silenced, DEFAULT_RATE_LIMIT, 1000).blockedUntil).toBe(1000 + MAX_RETRY_AFTER_MS);
  });
});
