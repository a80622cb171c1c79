import { describe, expect, it } from 'vitest';
import { checkFreshness } from '../../src/quality/check-freshness.js';
import { checkValidity } from '../../src/quality/check-validity.js';
import { evaluateEscalation } from '../../src/quality/evaluate-escalation.js';
import { scoreQuality } from '../../src/quality/score-quality.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';

/**
 * The quality checks at their documented boundaries, and the texts users read, each written
 * out by hand from the example's numbers.
 */
const T0 = Date.UTC(2025, 0, 30, 10, 0);
const MIN = 60_000;
const DAY = 86_400_000;
const bar = (timestamp: number, over: Partial<Ohlcv> = {}): Ohlcv => ({
  timestamp,
  open: 100,
  high: 101,
  low: 99,
  close: 100,
  volume: 5,
  ...over,
});

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

describe('checkValidity findings, word for word', () => {
  it('counts bars in the singular and the plural, per rule', () => {
    const one = checkValidity([bar(T0), bar(T0 + MIN, { high: 98 })]);
    expect(one.issues.map((i) => i.message)).toContain('1 bar breaks high_gte_low');
    const two = checkValidity([bar(T0, { high: 98 }), bar(T0 + MIN, { high: 98 })]);
    expect(two.issues.map((i) => i.message)).toContain('2 bars break high_gte_low');
  });

  it('counts outliers in the singular and the plural', () => {
    const one = checkValidity([bar(T0), bar(T0 + MIN, { volume: 0 })]);
    expect(one.issues.map((i) => i.message)).toEqual(['1 bar flagged by zero_volume']);
    const two = checkValidity([bar(T0, { volume: 0 }), bar(T0 + MIN, { volume: 0 })]);
    expect(two.issues.map((i) => i.message)).toEqual(['2 bars flagged by zero_volume']);
  });
});

describe('evaluateEscalation reasons', () => {
  it('says a NaN score is not a number', () => {
    expect(evaluateEscalation({ now: T0, qualityScore: Number.NaN, symbol: 'BTCUSD' }).reasons).toEqual([
      { trigger: 'quality_below', reason: 'Quality score for BTCUSD is not a number' },
    ]);
  });

  it('counts a critical gap that ended exactly one window before now, not one a millisecond earlier', () => {
    const hour = 60 * MIN;
    const gap = { timestamp: T0 - 2 * hour, endTimestamp: T0 - hour, count: 4, timeframe: '1m' as const };
    expect(evaluateEscalation({ now: T0, criticalGaps: [gap] }).escalate).toBe(true);
    expect(evaluateEscalation({ now: T0, criticalGaps: [{ ...gap, endTimestamp: T0 - hour - 1 }] }).escalate).toBe(false);
  });

  it('judges a gap without an end by its start, and names the longest of several', () => {
    const reasons = evaluateEscalation({
      now: T0,
      criticalGaps: [
        { timestamp: T0 - 10 * MIN, count: 4, timeframe: '1m' },
        { timestamp: T0 - 30 * MIN, endTimestamp: T0 - 20 * MIN, count: 9, timeframe: '5m' },
        { timestamp: T0 - 5 * MIN, count: 6 },
      ],
    }).reasons;
    expect(reasons).toEqual([
      {
        trigger: 'critical_gap',
        reason: '3 critical gaps in the last 60 min; the longest is 9 5m bars from 2025-01-30T09:30:00.000Z',
      },
    ]);
  });

  it('names the first given of equally long gaps', () => {
    const reasons = evaluateEscalation({
      now: T0,
      criticalGaps: [
        { timestamp: T0 - 10 * MIN, endTimestamp: T0 - 7 * MIN, count: 4, timeframe: '1m' },
        { timestamp: T0 - 20 * MIN, endTimestamp: T0 - 5 * MIN, count: 4, timeframe: '5m' },
      ],
    }).reasons;
    expect(reasons[0]?.reason).toBe('2 critical gaps in the last 60 min; the longest is 4 1m bars from 2025-01-30T09:50:00.000Z');
  });

  it('leaves out what a gap does not say (no timeframe, no start)', () => {
    const reasons = evaluateEscalation({ now: T0, criticalGaps: [{ endTimestamp: T0, count: 5 }] }).reasons;
    expect(reasons).toEqual([{ trigger: 'critical_gap', reason: '1 critical gap in the last 60 min; the longest is 5 bars' }]);
    // A gap with no time at all cannot be recent.
    expect(evaluateEscalation({ now: T0, criticalGaps: [{ count: 5 }] }).escalate).toBe(false);
  });
});

describe('scoreQuality’s low_quality finding', () => {
  // Bars at 10:00 and 10:02: completeness 2 / 3; everything else perfect at 10:03 (the newest bar closed then).
  const bars = [bar(T0), bar(T0 + 2 * MIN)];
  const weights = { completeness: 1, validity: 0, freshness: 0, consistency: 0 };
  const now = T0 + 3 * MIN;

  it('is raised below qualityBelow, not at it ("below")', () => {
    const at = scoreQuality(bars, { timeframe: '1m', now, config: { weights, escalation: { qualityBelow: 2 / 3 } } });
    expect(at.score).toBe(2 / 3);
    expect(at.issues.filter((i) => i.rule === 'quality_below')).toEqual([]);
  });

  it('names the score, the limit, each metric and the newest bar', () => {
    const below = scoreQuality(bars, { timeframe: '1m', now, symbol: 'BTCUSD', config: { weights, escalation: { qualityBelow: 0.7 } } });
    expect(below.issues.filter((i) => i.rule === 'quality_below')).toEqual([
      {
        type: 'low_quality',
        rule: 'quality_below',
        severity: 'critical',
        symbol: 'BTCUSD',
        timeframe: '1m',
        timestamp: T0 + 2 * MIN,
        endTimestamp: T0 + 2 * MIN,
        count: 2,
        message: 'Quality score 0.667 is below 0.7 (completeness 0.667, validity 1.000, freshness 1.000, consistency 1.000)',
      },
    ]);
  });
});
