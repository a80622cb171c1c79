import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../src/errors/config-error.js';
import { scoreQuality } from '../../src/quality/score-quality.js';
import { QualityIssueSchema } from '../../src/schemas/quality-report-schema.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import { generateOhlcv } from '../../src/testing/generate-ohlcv.js';

const T0 = Date.UTC(2025, 0, 30, 10, 0);
const MIN = 60_000;
const bar = (m: number, overrides: Partial<Ohlcv> = {}): Ohlcv => ({
  timestamp: T0 + m * MIN,
  open: 100,
  high: 101,
  low: 99,
  close: 100,
  volume: 5,
  ...overrides,
});

describe('scoreQuality', () => {
  it('scores clean, fresh data 1 with no issues', () => {
    const bars = [0, 1, 2].map((m) => bar(m));
    expect(scoreQuality(bars, { timeframe: '1m', now: T0 + 3 * MIN + 5_000 })).toMatchObject({
      score: 1,
      metrics: { completeness: 1, validity: 1, freshness: 1, consistency: 1 },
      weights: { completeness: 0.3, validity: 0.3, freshness: 0.25, consistency: 0.15 },
      issues: [],
    });
  });

  it('weights the four metrics 0.3 / 0.3 / 0.25 / 0.15', () => {
    // Bars at minutes 0, 1, 3 (one missing: completeness 3/4); bar 3 breaks a rule (validity 2/3);
    // the last bar closed 90 s ago (freshness 0.5); all aligned (consistency 1).
    const bars = [bar(0), bar(1), bar(3, { open: 102 })];
    const result = scoreQuality(bars, { timeframe: '1m', now: T0 + 4 * MIN + 90_000, symbol: 'BTCUSD' });
    expect(result.metrics.completeness).toBe(0.75);
    expect(result.metrics.validity).toBeCloseTo(2 / 3, 12);
    expect(result.metrics.freshness).toBe(0.5);
    expect(result.metrics.consistency).toBe(1);
    expect(result.score).toBeCloseTo(0.3 * 0.75 + 0.3 * (2 / 3) + 0.25 * 0.5 + 0.15, 12);
    expect(result.issues.map((i) => [i.type, i.rule])).toEqual([
      ['gap_detected', 'gap'],
      // 1 of the day's 4 bars inside the window is missing: 25 % > 1 %.
      ['gap_detected', 'max_missing_share_daily'],
      ['invalid_bar', 'high_gte_open_close'],
      ['stale_data', 'max_delay'],
      ['low_quality', 'quality_below'],
    ]);
    expect(result.issues.filter((i) => !(i.symbol === 'BTCUSD' && i.timeframe === '1m'))).toEqual([]);
  });

  it('accepts other weights and refuses negative ones or ones that do not sum to 1', () => {
    const bars = [bar(0), bar(2)];
    const result = scoreQuality(bars, {
      timeframe: '1m',
      now: T0,
      config: { weights: { completeness: 1, validity: 0, freshness: 0, consistency: 0 } },
    });
    expect(result.score).toBeCloseTo(2 / 3, 12);
    for (const weights of [
      { completeness: 0.5, validity: 0.5, freshness: 0.25, consistency: -0.25 },
      { completeness: 0.3, validity: 0.3, freshness: 0.3, consistency: 0.3 },
    ]) {
      let error: unknown;
      try {
        scoreQuality(bars, { timeframe: '1m', now: T0, config: { weights } });
      } catch (caught) {
        error = caught;
      }
      expect(isConfigError(error)).toBe(true);
      expect((error as { path: PropertyKey[] }).path.slice(0, 2)).toEqual(['config', 'weights']);
    }
  });

  it('reports a bad section option under its full path', () => {
    let error: unknown;
    try {
      scoreQuality([], { timeframe: '1m', now: T0, config: { validity: { volumeWindow: 0 } } });
    } catch (caught) {
      error = caught;
    }
    expect((error as { path: PropertyKey[] }).path).toEqual(['config', 'validity', 'volumeWindow']);
  });

  it('compares with a reference when one is given', () => {
    const bars = [bar(0), bar(1)];
    const reference = { kind: 'source' as const, bars: [bar(0, { close: 100.5, high: 101 }), bar(1)] };
    const result = scoreQuality(bars, { timeframe: '1m', now: T0 + 2 * MIN, reference });
    expect(result.consistency).toMatchObject({ compared: 2, checks: 4, passed: 3 });
    expect(result.metrics.consistency).toBe(0.75);
  });

  it('gives findings that become quality-report issues once stamped with a symbol, ISO time and resolution', () => {
    const result = scoreQuality([bar(0), bar(3)], { timeframe: '1m', now: T0 + 4 * MIN, symbol: 'BTCUSD' });
    const gap = result.issues.find((i) => i.type === 'gap_detected');
    const wire = {
      timestamp: new Date(gap?.timestamp ?? 0).toISOString(),
      type: gap?.type,
      symbol: gap?.symbol,
      timeframe: gap?.timeframe,
      duration_bars: gap?.count,
      resolution: 'interpolated',
    };
    expect(QualityIssueSchema.safeParse(wire).success).toBe(true);
    expect(wire).toMatchObject({ timestamp: '2025-01-30T10:01:00.000Z', duration_bars: 2 });
  });

  it('stays finite and in [0, 1] on bad input: empty, one bar, NaN, infinite, unsorted, duplicated, seconds (property)', () => {
    const field = fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1, 0));
    const time = fc.oneof(
      fc.integer({ min: 0, max: 30 }).map((m) => T0 + m * MIN),
      fc.integer({ min: 0, max: 30 }).map((m) => Math.floor(T0 / 1000) + m * 60),
      fc.double(),
    );
    const row = fc.record({ timestamp: time, open: field, high: field, low: field, close: field, volume: field });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), fc.constantFrom('1m', '5m', '1H', '1M' as const), (bars, timeframe) => {
        const result = scoreQuality(bars, { timeframe, now: T0 + 31 * MIN });
        for (const value of [result.score, ...(Object.values(result.metrics) as number[])]) {
          expect(Number.isFinite(value)).toBe(true);
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(1);
        }
        if (bars.length === 0) expect(result.score).toBe(0);
      }),
      { numRuns: 150 },
    );
  });

  it('scores a generated clean series 1 when fresh', () => {
    const { bars } = generateOhlcv({ seed: 3, count: 500, timeframe: '5m' });
    const last = bars[bars.length - 1]?.timestamp ?? 0;
    const result = scoreQuality(bars, { timeframe: '5m', now: last + 5 * MIN, config: { validity: { outlierStdDevs: 8 } } });
    expect(result.score).toBe(1);
  });

  it('scores an empty series 0 with findings', () => {
    const result = scoreQuality([], { timeframe: '1m', now: T0 });
    expect(result.score).toBe(0);
    expect(result.issues.map((i) => i.rule)).toEqual(['no_data', 'no_data', 'quality_below']);
  });

  it('does not modify its input', () => {
    const bars = Object.freeze([bar(1), bar(0)].map((b) => Object.freeze(b)));
    expect(() => scoreQuality(bars, { timeframe: '1m', now: T0 })).not.toThrow();
  });

  it('throws ConfigError for a non-finite now or an unknown timeframe', () => {
    expect(() => scoreQuality([], { timeframe: '1m', now: Number.NaN })).toThrow(/now/);
    expect(() => scoreQuality([], { timeframe: 'x' as never, now: T0 })).toThrow(/timeframe/);
  });
});
