import { describe, expect, it } from 'vitest';
import { applyServerFeedback } from '../../src/failover/apply-server-feedback.js';
import { createRateLimiter } from '../../src/failover/create-rate-limiter.js';
import { DEFAULT_BAN_MS } from '../../src/failover/rate-limiter-state.js';
import { tryAcquire } from '../../src/failover/try-acquire.js';
import { BINANCE_WEIGHT_LIMIT, DEFAULT_RATE_LIMIT } from '../../src/schemas/config.js';
import { deepFreeze } from './feed-script.js';

const MINUTE = Date.UTC(2025, 0, 30, 10, 30); // a clock minute

describe('applyServerFeedback', () => {
  it('adopts a used-weight header larger than our own count', () => {
    // Another process on the same IP used 5000 of Binance's 6000: only 1000 are left to us.
    let s = tryAcquire(createRateLimiter(BINANCE_WEIGHT_LIMIT), MINUTE + 1000, 10).state;
    s = applyServerFeedback(s, MINUTE + 1200, { kind: 'used_weight', used: 5000, sentAt: MINUTE + 1000 });
    expect(tryAcquire(s, MINUTE + 2000, 1000).granted).toBe(true);
    expect(tryAcquire(tryAcquire(s, MINUTE + 2000, 1000).state, MINUTE + 2000, 1)).toMatchObject({ granted: false, waitMs: 58_000 });
  });

  it('keeps its own count when the header is smaller, and ignores a header from an earlier window', () => {
    let s = tryAcquire(createRateLimiter(BINANCE_WEIGHT_LIMIT), MINUTE + 1000, 300).state;
    s = applyServerFeedback(s, MINUTE + 1100, { kind: 'used_weight', used: 100 });
    expect(s).toMatchObject({ used: 300 });
    // Sent at 10:29:59.900, answered at 10:30:00.100: counted in the previous minute.
    s = applyServerFeedback(s, MINUTE + 1200, { kind: 'used_weight', used: 5999, sentAt: MINUTE - 100 });
    expect(s).toMatchObject({ used: 300 });
  });

  it('grants nothing until a 429 Retry-After has passed', () => {
    const s = applyServerFeedback(createRateLimiter(BINANCE_WEIGHT_LIMIT), MINUTE + 5000, { kind: 'rate_limited', retryAfterMs: 70_000 });
    expect(s).toMatchObject({ blockedUntil: MINUTE + 75_000, blockReason: 'rate_limited' });
    expect(tryAcquire(s, MINUTE + 74_999, 1)).toMatchObject({ granted: false, waitMs: 1 });
    expect(tryAcquire(s, MINUTE + 75_000, 1).granted).toBe(true);
  });

  it('spends the current window on a 429 without Retry-After', () => {
    const s = applyServerFeedback(createRateLimiter(BINANCE_WEIGHT_LIMIT), MINUTE + 5000, { kind: 'rate_limited' });
    expect(tryAcquire(s, MINUTE + 5000, 1)).toMatchObject({ granted: false, waitMs: 55_000 });
    expect(tryAcquire(s, MINUTE + 60_000, 1).granted).toBe(true);
  });

  it('fills the default sliding window on a 429 without Retry-After', () => {
    // 1200 requests in any 60 s: 300 granted at 10:30:00, then a 429 at 10:30:10 spends the
    // other 900. One more fits when the 300 are 60 s old (10:31:00), 301 more when the filled
    // 900 are too (10:31:10).
    let s = tryAcquire(createRateLimiter(DEFAULT_RATE_LIMIT), MINUTE, 300).state;
    s = applyServerFeedback(s, MINUTE + 10_000, { kind: 'rate_limited' });
    expect(tryAcquire(s, MINUTE + 20_000, 1)).toMatchObject({ granted: false, waitMs: 40_000 });
    expect(tryAcquire(s, MINUTE + 20_000, 301)).toMatchObject({ granted: false, waitMs: 50_000 });
  });

  it('raises the default sliding window to a larger used-weight header, for the next 60 s', () => {
    // We sent 100; the server counts 1150 (another client on the same key): 50 are left until
    // the server's count is 60 s old.
    let s = tryAcquire(createRateLimiter(DEFAULT_RATE_LIMIT), MINUTE, 100).state;
    s = applyServerFeedback(s, MINUTE + 5000, { kind: 'used_weight', used: 1150 });
    expect(tryAcquire(s, MINUTE + 6000, 50).granted).toBe(true);
    expect(tryAcquire(s, MINUTE + 6000, 51)).toMatchObject({ granted: false, waitMs: 54_000 });
    expect(applyServerFeedback(s, MINUTE + 6000, { kind: 'used_weight', used: 10 })).toEqual(s);
  });

  it('waits for the end of a Retry-After and then for room in the sliding window', () => {
    // Full at 10:30:00; a 429 at 10:30:10 asks for 20 s: blocked until 10:30:30, and the window
    // has room only at 10:31:00.
    let s = tryAcquire(createRateLimiter(DEFAULT_RATE_LIMIT), MINUTE, 1200).state;
    s = applyServerFeedback(s, MINUTE + 10_000, { kind: 'rate_limited', retryAfterMs: 20_000 });
    expect(tryAcquire(s, MINUTE + 15_000, 1)).toMatchObject({ granted: false, waitMs: 45_000 });
    expect(tryAcquire(s, MINUTE + 60_000, 1).granted).toBe(true);
  });

  it('empties a token bucket on a 429 without Retry-After', () => {
    const s = applyServerFeedback(createRateLimiter({ kind: 'token_bucket', requestsPerMinute: 1200 }), MINUTE, { kind: 'rate_limited' });
    // 1200 a minute refill one token every 50 ms.
    expect(tryAcquire(s, MINUTE, 1)).toMatchObject({ granted: false, waitMs: 50 });
  });

  it('grants nothing during a 418 ban, for its duration or 2 minutes when none is given', () => {
    const banned = applyServerFeedback(createRateLimiter(DEFAULT_RATE_LIMIT), MINUTE, { kind: 'banned', retryAfterMs: 600_000 });
    expect(tryAcquire(banned, MINUTE + 599_999, 1).granted).toBe(false);
    expect(tryAcquire(banned, MINUTE + 600_000, 1).granted).toBe(true);
    const unspecified = applyServerFeedback(createRateLimiter(DEFAULT_RATE_LIMIT), MINUTE, { kind: 'banned' });
    expect(unspecified).toMatchObject({ blockedUntil: MINUTE + DEFAULT_BAN_MS, blockReason: 'banned' });
  });

  it('never shortens a block already in force', () => {
    let s = applyServerFeedback(createRateLimiter(BINANCE_WEIGHT_LIMIT), MINUTE, { kind: 'banned', retryAfterMs: 300_000 });
    s = applyServerFeedback(s, MINUTE + 1000, { kind: 'rate_limited', retryAfterMs: 1000 });
    expect(s).toMatchObject({ blockedUntil: MINUTE + 300_000, blockReason: 'banned' });
  });

  it('ignores nonsensical values instead of throwing', () => {
    const s = createRateLimiter(BINANCE_WEIGHT_LIMIT);
    expect(applyServerFeedback(s, MINUTE, { kind: 'used_weight', used: Number.NaN })).toMatchObject({ used: 0 });
    expect(applyServerFeedback(s, MINUTE, { kind: 'rate_limited', retryAfterMs: -5 })).toMatchObject({ blockedUntil: null, used: 6000 });
  });

  it('does not mutate the state it is given', () => {
    const s = deepFreeze(createRateLimiter(BINANCE_WEIGHT_LIMIT));
    applyServerFeedback(s, MINUTE, { kind: 'banned', retryAfterMs: 1000 });
    expect(s).toEqual(createRateLimiter(BINANCE_WEIGHT_LIMIT));
  });
});
