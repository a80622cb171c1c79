import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { DEFAULT_FEED_POLICY, resolveFeedPolicy } from '../../src/failover/feed-policy.js';
import { DEFAULT_ESCALATION, DEFAULT_FEED_FAILURE } from '../../src/schemas/config.js';

describe('resolveFeedPolicy', () => {
  it('defaults to the specification’s protocol', () => {
    const policy = resolveFeedPolicy();
    expect(policy).toEqual(DEFAULT_FEED_POLICY);
    expect(policy).toMatchObject({
      timeoutMs: 30_000,
      errorThreshold: 3,
      retryDelayMs: 5000,
      failoverDelayMs: 10_000,
      maxBackfillBars: 100,
      sourceUnavailableMs: 300_000,
    });
    expect(policy).toMatchObject(DEFAULT_FEED_FAILURE);
    expect(policy.sourceUnavailableMs).toBe(DEFAULT_ESCALATION.sourceUnavailableMs);
  });

  it('applies overrides without touching the defaults', () => {
    expect(resolveFeedPolicy({ recoveryStableMs: 120_000 }).recoveryStableMs).toBe(120_000);
    expect(DEFAULT_FEED_POLICY.recoveryStableMs).toBe(60_000);
  });

  it('throws a ConfigError with the path and the offending value', () => {
    expect(() => resolveFeedPolicy({ errorThreshold: 0 })).toThrow(/errorThreshold.*got `0`/);
    expect(() => resolveFeedPolicy({ latencyAlertFactor: 1 })).toThrow(/latencyAlertFactor/);
    try {
      resolveFeedPolicy({ timeoutMs: -1 });
    } catch (error) {
      expect(isConfigError(error) && [error.path, error.value]).toEqual([['timeoutMs'], -1]);
    }
  });
});
