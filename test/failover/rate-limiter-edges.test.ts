import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { applyServerFeedback } from '../../src/failover/apply-server-feedback.js';
import { createRateLimiter } from '../../src/failover/create-rate-limiter.js';
import { MAX_RETRY_AFTER_MS, type RateLimiterState } from '../../src/failover/rate-limiter-state.js';
import { resumeRateLimiter } from '../../src/failover/resume-rate-limiter.js';
import { retryDelay } from '../../src/failover/retry-delay.js';
import { RetryPolicySchema, type RetryPolicy } from '../../src/failover/retry-policy.js';
import { tryAcquire } from '../../src/failover/try-acquire.js';
import { BINANCE_WEIGHT_LIMIT, DEFAULT_RATE_LIMIT, RateLimitConfigSchema, type RateLimitConfig } from '../../src/schemas/config.js';
import { thrown } from '../support/thrown.js';

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 30, 10, 30);
const TOKEN_BUCKET: RateLimitConfig = { kind: 'token_bucket', requestsPerMinute: 1200 };

describe('createRateLimiter and retryDelay: the ConfigError of a bad configuration', () => {
  it('names the path (or the root), zod’s own message and the value as JSON', () => {
    const bad = { kind: 'weight_window', limit: 'many', windowMs: 60_000 } as unknown as RateLimitConfig;
    const error = thrown(() => createRateLimiter(bad));
    expect(isConfigError(error)).toBe(true);
    expect(error).toMatchObject({ path: ['limit'], value: 'many' });
    const zodMessage = RateLimitConfigSchema.safeParse(bad).error?.issues[0]?.message ?? '';
    expect(zodMessage).not.toBe('');
    expect(String(error)).toContain(`Invalid rate limit at \`limit\`: ${zodMessage}, got \`"many"\``);
    const root = thrown(() => createRateLimiter('fast' as unknown as RateLimitConfig));
    expect(root).toMatchObject({ path: [], value: 'fast' });
    expect(String(root)).toContain('at `(root)`');
    expect(String(root)).toContain('got `"fast"`');
  });

  it('names the path (or the root), zod’s own message and the value as JSON for a retry policy', () => {
    const bad = { baseMs: 'soon', factor: 2, maxMs: 60_000 } as unknown as RetryPolicy;
    const error = thrown(() => retryDelay(1, bad));
    expect(error).toMatchObject({ path: ['baseMs'], value: 'soon' });
    const zodMessage = RetryPolicySchema.safeParse(bad).error?.issues[0]?.message ?? '';
    expect(String(error)).toContain(`Invalid retry policy at \`baseMs\`: ${zodMessage}, got \`"soon"\``);
    const root = thrown(() => retryDelay(1, 'never' as unknown as RetryPolicy));
    expect(root).toMatchObject({ path: [], value: 'never' });
    expect(String(root)).toContain('at `(root)`');
  });
});

describe('tryAcquire at the edges of its weight', () => {
  it('grants a request of weight 0 without recording it, and names `weight` when it is out of range', () => {
    const s = createRateLimiter(DEFAULT_RATE_LIMIT);
    const d = tryAcquire(s, T0, 0);
    expect(d.granted).toBe(true);
    expect(d.state).toMatchObject({ grants: [] });
    expect(thrown(() => tryAcquire(s, T0, -1))).toMatchObject({ path: ['weight'], value: -1 });
  });

  it('forgets a grant once it is windowMs old (it counts up to at + windowMs, excluded)', () => {
    const s = tryAcquire(createRateLimiter(DEFAULT_RATE_LIMIT), T0, 5).state;
    expect(tryAcquire(s, T0 + MIN - 1, 0).state).toMatchObject({ grants: [{ at: T0, weight: 5 }] });
    expect(tryAcquire(s, T0 + MIN, 0).state).toMatchObject({ grants: [] });
  });

  it('adds a second request in the same millisecond to that millisecond’s grant', () => {
    let s = createRateLimiter(DEFAULT_RATE_LIMIT);
    for (const [t, w] of [
      [T0, 1],
      [T0 + 1, 2],
      [T0 + 2, 3],
      [T0 + 2, 4],
    ] as const) {
      s = tryAcquire(s, t, w).state;
    }
    expect(s).toMatchObject({
      grants: [
        { at: T0, weight: 1 },
        { at: T0 + 1, weight: 2 },
        { at: T0 + 2, weight: 7 },
      ],
    });
  });
});

describe('applyServerFeedback at the edges', () => {
  it('lets a longer block replace a shorter one', () => {
    let s = applyServerFeedback(createRateLimiter(BINANCE_WEIGHT_LIMIT), T0, { kind: 'banned', retryAfterMs: 10_000 });
    s = applyServerFeedback(s, T0 + 1000, { kind: 'banned', retryAfterMs: 60_000 });
    expect(s).toMatchObject({ blockedUntil: T0 + 61_000, blockReason: 'banned' });
  });

  it('keeps the reason of a block in force when a new one ends at the same instant', () => {
    let s = applyServerFeedback(createRateLimiter(BINANCE_WEIGHT_LIMIT), T0, { kind: 'banned', retryAfterMs: 60_000 });
    s = applyServerFeedback(s, T0 + 30_000, { kind: 'rate_limited', retryAfterMs: 30_000 });
    expect(s).toMatchObject({ blockedUntil: T0 + 60_000, blockReason: 'banned' });
  });

  it('keeps at most capacity − used tokens in a token bucket', () => {
    const s = applyServerFeedback(createRateLimiter(TOKEN_BUCKET), T0, { kind: 'used_weight', used: 1000 });
    expect(s).toMatchObject({ tokens: 200 });
    expect(tryAcquire(s, T0, 200).granted).toBe(true);
    expect(tryAcquire(s, T0, 201).granted).toBe(false);
  });

  it('ignores a used-weight header that is not a finite count, whatever the limiter', () => {
    for (const config of [DEFAULT_RATE_LIMIT, TOKEN_BUCKET, BINANCE_WEIGHT_LIMIT]) {
      const s = tryAcquire(createRateLimiter(config), T0, 5).state;
      for (const used of [Number.NaN, Number.POSITIVE_INFINITY, -5]) {
        expect(applyServerFeedback(s, T0, { kind: 'used_weight', used })).toEqual(s);
      }
    }
  });
});

describe('resumeRateLimiter: same model or not', () => {
  const sliding = (limit: number, windowMs = MIN): RateLimiterState => ({
    kind: 'sliding_window',
    limit,
    windowMs,
    grants: [{ at: T0, weight: 1 }],
    blockedUntil: null,
    blockReason: null,
  });
  const bucket = (capacity: number, refillPerMs: number): RateLimiterState => ({
    kind: 'token_bucket',
    capacity,
    refillPerMs,
    tokens: 3,
    updatedAt: T0,
    blockedUntil: null,
    blockReason: null,
  });
  const window = (limit: number, windowMs: number): RateLimiterState => ({
    kind: 'weight_window',
    limit,
    windowMs,
    windowStart: T0,
    used: 7,
    blockedUntil: null,
    blockReason: null,
  });

  it('keeps the saved state of the same model with the same numbers', () => {
    const cases: [RateLimiterState, RateLimitConfig][] = [
      [sliding(1200), DEFAULT_RATE_LIMIT],
      [bucket(1200, 1200 / MIN), TOKEN_BUCKET],
      [window(6000, MIN), BINANCE_WEIGHT_LIMIT],
    ];
    for (const [saved, config] of cases) expect(resumeRateLimiter(saved, config, T0 + 1)).toBe(saved);
  });

  it('starts the configured limiter, its window spent, when a number differs', () => {
    const cases: [RateLimiterState, RateLimitConfig][] = [
      [sliding(600), DEFAULT_RATE_LIMIT],
      [sliding(1200, 30_000), DEFAULT_RATE_LIMIT],
      [bucket(600, 1200 / MIN), TOKEN_BUCKET],
      [bucket(1200, 1 / MIN), TOKEN_BUCKET],
      [window(5000, MIN), BINANCE_WEIGHT_LIMIT],
      [window(6000, 2 * MIN), BINANCE_WEIGHT_LIMIT],
    ];
    for (const [saved, config] of cases) {
      const resumed = resumeRateLimiter(saved, config, T0 + 1);
      expect(resumed).not.toBe(saved);
      const fresh = createRateLimiter(config);
      const numbers =
        fresh.kind === 'token_bucket'
          ? { capacity: fresh.capacity, refillPerMs: fresh.refillPerMs }
          : { limit: fresh.limit, windowMs: fresh.windowMs };
      expect(resumed).toMatchObject({ kind: fresh.kind, ...numbers, blockedUntil: null });
      expect(tryAcquire(resumed, T0 + 1, 1).granted).toBe(false);
    }
  });

  it('keeps a saved block that ends exactly at the cap, and carries over only a block still in force', () => {
    const latest = T0 + MAX_RETRY_AFTER_MS;
    const atCap: RateLimiterState = { ...sliding(1200), blockedUntil: latest, blockReason: 'banned' };
    expect(resumeRateLimiter(atCap, DEFAULT_RATE_LIMIT, T0)).toBe(atCap);
    for (const end of [T0 - 1, T0]) {
      const ended: RateLimiterState = { ...sliding(600), blockedUntil: end, blockReason: 'banned' };
      expect(resumeRateLimiter(ended, DEFAULT_RATE_LIMIT, T0)).toMatchObject({ blockedUntil: null, blockReason: null });
    }
    const running: RateLimiterState = { ...sliding(600), blockedUntil: T0 + 5000, blockReason: 'rate_limited' };
    expect(resumeRateLimiter(running, DEFAULT_RATE_LIMIT, T0)).toMatchObject({ blockedUntil: T0 + 5000, blockReason: 'rate_limited' });
  });
});
