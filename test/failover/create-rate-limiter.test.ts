import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { createRateLimiter } from '../../src/failover/create-rate-limiter.js';
import { BINANCE_WEIGHT_LIMIT, type RateLimitConfig } from '../../src/schemas/config.js';

describe('createRateLimiter', () => {
  it('starts the specification’s 1200 requests per minute as an empty 60 000 ms sliding window', () => {
    // Specification: 'rate_limit': 1200 requests per minute, in every minute.
    expect(createRateLimiter()).toEqual({
      kind: 'sliding_window',
      limit: 1200,
      windowMs: 60_000,
      grants: [],
      blockedUntil: null,
      blockReason: null,
    });
  });

  it('still builds a token bucket when one is configured', () => {
    expect(createRateLimiter({ kind: 'token_bucket', requestsPerMinute: 1200 })).toEqual({
      kind: 'token_bucket',
      capacity: 1200,
      refillPerMs: 0.02,
      tokens: 1200,
      updatedAt: null,
      blockedUntil: null,
      blockReason: null,
    });
  });

  it('starts Binance’s weight window empty', () => {
    expect(createRateLimiter(BINANCE_WEIGHT_LIMIT)).toEqual({
      kind: 'weight_window',
      limit: 6000,
      windowMs: 60_000,
      windowStart: null,
      used: 0,
      blockedUntil: null,
      blockReason: null,
    });
  });

  it('throws a ConfigError naming the bad field and value', () => {
    const bad = { kind: 'weight_window', limit: -1, windowMs: 60_000 } as RateLimitConfig;
    expect(() => createRateLimiter(bad)).toThrow(/limit.*-1/);
    try {
      createRateLimiter(bad);
    } catch (error) {
      expect(isConfigError(error) && error.path).toEqual(['limit']);
    }
  });
});
