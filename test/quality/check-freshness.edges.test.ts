import { describe, expect, it } from 'vitest';
import { checkFreshness } from '../../src/quality/check-freshness.js';

/** `checkFreshness` at its documented boundary, and the texts users read, written out by hand. */
const T0 = Date.UTC(2025, 0, 30, 10, 0);
const MIN = 60_000;
const DAY = 86_400_000;

describe('checkFreshness at its limits', () => {
  it('is fresh with a delay of exactly the maximum, stale one millisecond later ("exceeds")', () => {
    // The 1m bar opened at 10:00 closes at 10:01; the 1m maximum is 60 s.
    const at = checkFreshness(T0, '1m', T0 + MIN + 60_000);
    expect(at).toMatchObject({ score: 1, stale: false, delayMs: 60_000, issues: [] });
    const past = checkFreshness(T0, '1m', T0 + MIN + 60_001);
    expect(past.stale).toBe(true);
    expect(past.issues[0]).toMatchObject({
      rule: 'max_delay',
      severity: 'warning',
      message: 'The newest 1m bar (2025-01-30T10:00:00.000Z) closed 60.0 s ago (limit 60 s)',
    });
  });

  it('says so when there is no bar, with the longest month as the 1M maximum', () => {
    const result = checkFreshness(undefined, '1M', T0);
    expect(result).toMatchObject({ score: 0, stale: true, maxDelayMs: 31 * DAY });
    expect(result.issues[0]).toMatchObject({
      rule: 'no_data',
      severity: 'critical',
      message: 'No 1M bar with a usable timestamp: nothing is fresh',
    });
    expect(checkFreshness(undefined, '4H', T0).maxDelayMs).toBe(4 * 60 * MIN);
  });
});
