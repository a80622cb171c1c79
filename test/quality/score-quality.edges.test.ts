import { describe, expect, it } from 'vitest';
import { checkFreshness } from '../../src/quality/check-freshness.js';
import { scoreQuality } from '../../src/quality/score-quality.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';

const T0 = Date.UTC(2025, 0, 30, 10, 0);
const MIN = 60_000;
const DAY = 86_400_000;
const bar = (m: number): Ohlcv => ({ timestamp: T0 + m * MIN, open: 100, high: 101, low: 99, close: 100, volume: 5 });

describe('scoreQuality low-quality finding', () => {
  it('states the score, the threshold and the four metrics, on the newest bar, counting every bar', () => {
    // Bars at minutes 0 and 2 (completeness 2/3), judged 150 s after the last close (freshness 2 − 150/60 → 0).
    const result = scoreQuality([bar(0), bar(2)], { timeframe: '1m', now: T0 + 3 * MIN + 150_000, symbol: 'BTCUSD' });
    // 0.3 × 2/3 + 0.3 × 1 + 0.25 × 0 + 0.15 × 1 = 0.65.
    expect(result.score).toBeCloseTo(0.65, 12);
    expect(result.issues.at(-1)).toEqual({
      type: 'low_quality',
      rule: 'quality_below',
      severity: 'critical',
      symbol: 'BTCUSD',
      timeframe: '1m',
      timestamp: T0 + 2 * MIN,
      endTimestamp: T0 + 2 * MIN,
      count: 2,
      message: 'Quality score 0.650 is below 0.8 (completeness 0.667, validity 1.000, freshness 0.000, consistency 1.000)',
    });
  });

  it('adds no finding at exactly the threshold ("below" 0.8)', () => {
    // Completeness alone, 4 of 5 bars: score 0.8.
    const weights = { completeness: 1, validity: 0, freshness: 0, consistency: 0 };
    const result = scoreQuality([bar(0), bar(1), bar(3), bar(4)], {
      timeframe: '1m',
      now: T0,
      start: T0,
      end: T0 + 5 * MIN,
      config: { weights },
    });
    expect(result.score).toBe(0.8);
    expect(result.issues.map((i) => i.rule)).not.toContain('quality_below');
  });

  it('follows a configured threshold, and adds no time when no bar has one', () => {
    const fine = scoreQuality([bar(0), bar(2)], { timeframe: '1m', now: T0 + 3 * MIN, config: { escalation: { qualityBelow: 0.85 } } });
    // 0.3 × 2/3 + 0.3 + 0.25 + 0.15 = 0.9: not below 0.85.
    expect(fine.issues.map((i) => i.rule)).not.toContain('quality_below');
    const none = scoreQuality([{ ...bar(0), timestamp: Number.NaN }], { timeframe: '1m', now: T0 });
    const low = none.issues.find((i) => i.rule === 'quality_below');
    expect(low).toMatchObject({ count: 1 });
    expect(low).not.toHaveProperty('timestamp');
  });
});

describe('checkFreshness edges', () => {
  it('is not stale at exactly the maximum delay, and stale 1 ms later', () => {
    // The 10:00 1m bar closes at 10:01; the limit is 60 s.
    expect(checkFreshness(T0, '1m', T0 + 2 * MIN)).toMatchObject({ stale: false, score: 1, issues: [] });
    expect(checkFreshness(T0, '1m', T0 + 2 * MIN + 1)).toMatchObject({ stale: true, issues: [{ severity: 'warning', count: 1 }] });
  });

  it('says there is no usable bar, with the limit a bar would have had', () => {
    expect(checkFreshness(undefined, '1m', T0, undefined, { symbol: 'ETHUSD' })).toEqual({
      score: 0,
      stale: true,
      maxDelayMs: 60_000,
      issues: [
        {
          type: 'stale_data',
          rule: 'no_data',
          severity: 'critical',
          symbol: 'ETHUSD',
          timeframe: '1m',
          count: 0,
          message: 'No 1m bar with a usable timestamp: nothing is fresh',
        },
      ],
    });
    // Not configured: a 4H bar's own width, a month's longest (31 days).
    expect(checkFreshness(undefined, '4H', T0).maxDelayMs).toBe(4 * 3_600_000);
    expect(checkFreshness(Number.NaN, '1M', T0).maxDelayMs).toBe(31 * DAY);
  });
});
