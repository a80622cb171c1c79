import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { checkCompleteness } from '../../src/quality/check-completeness.js';
import { evaluateEscalation } from '../../src/quality/evaluate-escalation.js';

const NOW = Date.UTC(2025, 0, 30, 10, 30);
const MIN = 60_000;

describe('evaluateEscalation', () => {
  it('does not escalate a healthy state', () => {
    expect(evaluateEscalation({ now: NOW, feedOffline: false, qualityScore: 0.95, criticalGaps: [], unavailableSources: [] })).toEqual({
      escalate: false,
      reasons: [],
    });
  });

  it('escalates when the feed is offline', () => {
    expect(evaluateEscalation({ now: NOW, feedOffline: true, symbol: 'BTCUSD' })).toEqual({
      escalate: true,
      reasons: [{ trigger: 'feed_offline', reason: 'The data feed for BTCUSD is offline' }],
    });
  });

  it('escalates when quality drops below 0.8, not at 0.8', () => {
    expect(evaluateEscalation({ now: NOW, qualityScore: 0.8 }).escalate).toBe(false);
    expect(evaluateEscalation({ now: NOW, qualityScore: 0.79 }).reasons).toEqual([
      { trigger: 'quality_below', reason: 'Quality score 0.790 is below 0.8' },
    ]);
    expect(evaluateEscalation({ now: NOW, qualityScore: Number.NaN }).reasons[0]?.trigger).toBe('quality_below');
    expect(evaluateEscalation({ now: NOW, qualityScore: 0.85 }, { qualityBelow: 0.9 }).escalate).toBe(true);
  });

  it('escalates on critical gaps that ended within the last hour only', () => {
    const recent = { timestamp: NOW - 20 * MIN, endTimestamp: NOW - 15 * MIN, count: 6, timeframe: '1m' as const };
    const old = { timestamp: NOW - 120 * MIN, endTimestamp: NOW - 61 * MIN, count: 9 };
    expect(evaluateEscalation({ now: NOW, criticalGaps: [old] }).escalate).toBe(false);
    expect(evaluateEscalation({ now: NOW, criticalGaps: [old, recent] }).reasons).toEqual([
      { trigger: 'critical_gap', reason: '1 critical gap in the last 60 min; the longest is 6 1m bars from 2025-01-30T10:10:00.000Z' },
    ]);
  });

  it('takes the critical gaps of checkCompleteness as they are', () => {
    const bars = [0, 1, 7].map((m) => ({ timestamp: NOW - 10 * MIN + m * MIN, open: 1, high: 1, low: 1, close: 1, volume: 1 }));
    const { criticalGaps } = checkCompleteness(bars, { timeframe: '1m' });
    expect(criticalGaps).toHaveLength(1);
    expect(evaluateEscalation({ now: NOW, criticalGaps }).reasons[0]?.trigger).toBe('critical_gap');
  });

  it('escalates when a source has been unavailable for more than 5 minutes', () => {
    const state = {
      now: NOW,
      unavailableSources: [
        { source: 'binance', since: NOW - 5 * MIN },
        { source: 'kraken', since: NOW - 6 * MIN },
      ],
    };
    expect(evaluateEscalation(state).reasons).toEqual([
      { trigger: 'source_unavailable', reason: 'Source kraken unavailable for 360 s (since 2025-01-30T10:24:00.000Z; limit 300 s)' },
    ]);
  });

  it('gives every trigger that fired, in order', () => {
    const result = evaluateEscalation({
      now: NOW,
      feedOffline: true,
      qualityScore: 0.5,
      criticalGaps: [{ timestamp: NOW - MIN, endTimestamp: NOW - MIN, count: 4 }],
      unavailableSources: [{ source: 'binance', since: NOW - 10 * MIN }],
    });
    expect(result.reasons.map((r) => r.trigger)).toEqual(['feed_offline', 'quality_below', 'critical_gap', 'source_unavailable']);
  });

  it('throws ConfigError for a non-finite now or a bad threshold', () => {
    for (const run of [
      () => evaluateEscalation({ now: Number.NaN }),
      () => evaluateEscalation({ now: NOW }, { sourceUnavailableMs: -1 }),
    ]) {
      let error: unknown;
      try {
        run();
      } catch (caught) {
        error = caught;
      }
      expect(isConfigError(error)).toBe(true);
    }
  });
});
