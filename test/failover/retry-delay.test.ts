import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { retryDelay } from '../../src/failover/retry-delay.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../src/failover/retry-policy.js';

describe('retryDelay', () => {
  it('draws uniformly below base × 2^(attempt − 1), capped (AWS "full jitter")', () => {
    // Ceilings by hand with base 5 s, factor 2, cap 60 s: 5, 10, 20, 40, 60, 60 s.
    const half = (attempt: number): number => retryDelay(attempt, DEFAULT_RETRY_POLICY, () => 0.5);
    expect([1, 2, 3, 4, 5, 6].map(half)).toEqual([2500, 5000, 10_000, 20_000, 30_000, 30_000]);
    expect(retryDelay(3, DEFAULT_RETRY_POLICY, () => 0)).toBe(0);
  });

  it('is finite and within [0, maxMs] for any attempt, policy and random value', () => {
    const policyArb: fc.Arbitrary<RetryPolicy> = fc
      .record({
        baseMs: fc.double({ min: 0, max: 1e6, noNaN: true }),
        factor: fc.double({ min: 1, max: 100, noNaN: true }),
        extra: fc.double({ min: 0, max: 1e9, noNaN: true }),
      })
      .map(({ baseMs, factor, extra }) => ({ baseMs, factor, maxMs: baseMs + extra }));
    const attemptArb = fc.oneof(
      fc.integer({ min: 1, max: 100 }),
      fc.constantFrom(10_000, 1e9, Number.MAX_SAFE_INTEGER, Infinity, 0, -3, Number.NaN, 2.5),
    );
    const randomArb = fc.oneof(
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      fc.constantFrom(0, 0.9999999999999999, 1, -1, 2, Number.NaN),
    );
    fc.assert(
      fc.property(attemptArb, policyArb, randomArb, (attempt, policy, r) => {
        const delay = retryDelay(attempt, policy, () => r);
        expect(Number.isFinite(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(policy.maxMs);
      }),
      { numRuns: 2000 },
    );
  });

  it('reaches the cap at attempt 10 000 instead of overflowing', () => {
    expect(retryDelay(10_000, DEFAULT_RETRY_POLICY, () => 0.999)).toBeCloseTo(59_940, 6);
  });

  it('never decreases its ceiling as attempts grow', () => {
    const ceiling = (attempt: number): number => retryDelay(attempt, { baseMs: 100, factor: 1.5, maxMs: 1e6 }, () => 0.999999);
    for (let a = 1; a < 200; a++) expect(ceiling(a + 1)).toBeGreaterThanOrEqual(ceiling(a));
  });

  it('throws a ConfigError for an invalid policy', () => {
    const bad = { baseMs: 1000, factor: 2, maxMs: 10 };
    expect(() => retryDelay(1, bad)).toThrow(/maxMs/);
    try {
      retryDelay(1, bad);
    } catch (error) {
      expect(isConfigError(error)).toBe(true);
    }
  });

  it('uses Math.random when no generator is given', () => {
    const delay = retryDelay(1);
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(delay).toBeLessThan(5000);
  });
});
