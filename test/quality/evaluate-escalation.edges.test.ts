import { describe, expect, it } from 'vitest';
import { evaluateEscalation } from '../../src/quality/evaluate-escalation.js';

const NOW = Date.UTC(2025, 0, 30, 10, 30);
const MIN = 60_000;

describe('evaluateEscalation edges', () => {
  it('names the symbol in a low or not-a-number score', () => {
    expect(evaluateEscalation({ now: NOW, qualityScore: 0.5, symbol: 'ETHUSD' }).reasons).toEqual([
      { trigger: 'quality_below', reason: 'Quality score for ETHUSD 0.500 is below 0.8' },
    ]);
    expect(evaluateEscalation({ now: NOW, qualityScore: Number.NaN, symbol: 'ETHUSD' }).reasons).toEqual([
      { trigger: 'quality_below', reason: 'Quality score for ETHUSD is not a number' },
    ]);
  });

  it('counts a gap that ended exactly one hour before now as recent, and one a millisecond earlier as not', () => {
    expect(evaluateEscalation({ now: NOW, criticalGaps: [{ endTimestamp: NOW - 60 * MIN, count: 4 }] }).escalate).toBe(true);
    expect(evaluateEscalation({ now: NOW, criticalGaps: [{ endTimestamp: NOW - 60 * MIN - 1, count: 4 }] }).escalate).toBe(false);
  });

  it('judges a gap without an end on its start, and ignores one with neither', () => {
    expect(evaluateEscalation({ now: NOW, criticalGaps: [{ timestamp: NOW - 30 * MIN, count: 4 }] }).escalate).toBe(true);
    expect(evaluateEscalation({ now: NOW, criticalGaps: [{ timestamp: NOW - 90 * MIN, count: 4 }] }).escalate).toBe(false);
    expect(evaluateEscalation({ now: NOW, criticalGaps: [{ count: 4 }] }).escalate).toBe(false);
  });

  it('counts the recent gaps in the plural and names the longest (the first of equal ones), with its symbol', () => {
    const decision = evaluateEscalation({
      now: NOW,
      symbol: 'BTCUSD',
      criticalGaps: [
        { timestamp: NOW - 50 * MIN, endTimestamp: NOW - 45 * MIN, count: 6, timeframe: '5m' },
        { timestamp: NOW - 30 * MIN, endTimestamp: NOW - 20 * MIN, count: 11, timeframe: '1m' },
        { timestamp: NOW - 10 * MIN, endTimestamp: NOW - MIN, count: 11, timeframe: '1m' },
        { timestamp: NOW - 200 * MIN, endTimestamp: NOW - 100 * MIN, count: 100 },
      ],
    });
    expect(decision.reasons).toEqual([
      {
        trigger: 'critical_gap',
        reason: '3 critical gaps for BTCUSD in the last 60 min; the longest is 11 1m bars from 2025-01-30T10:00:00.000Z',
      },
    ]);
  });

  it('leaves out the time of a longest gap that has none, and its timeframe when unknown', () => {
    expect(evaluateEscalation({ now: NOW, criticalGaps: [{ endTimestamp: NOW - MIN, count: 4 }] }).reasons[0]?.reason).toBe(
      '1 critical gap in the last 60 min; the longest is 4 bars',
    );
  });

  it('uses the configured windows in its reasons', () => {
    const decision = evaluateEscalation(
      {
        now: NOW,
        criticalGaps: [{ endTimestamp: NOW - 100 * MIN, count: 4 }],
        unavailableSources: [{ source: 'kraken', since: NOW - 61_000 }],
      },
      { recentGapWindowMs: 120 * MIN, sourceUnavailableMs: 60_000 },
    );
    expect(decision.reasons.map((r) => r.reason)).toEqual([
      '1 critical gap in the last 120 min; the longest is 4 bars',
      'Source kraken unavailable for 61 s (since 2025-01-30T10:28:59.000Z; limit 60 s)',
    ]);
  });
});
