import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkValidity } from '../../src/quality/check-validity.js';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import { generateOhlcv } from '../../src/testing/generate-ohlcv.js';

const T0 = Date.UTC(2025, 0, 30, 10, 0);
const MIN = 60_000;
const bar = (i: number, overrides: Partial<Ohlcv> = {}): Ohlcv => ({
  timestamp: T0 + i * MIN,
  open: 100,
  high: 101,
  low: 99,
  close: 100,
  volume: 5,
  ...overrides,
});

describe('checkValidity', () => {
  it('scores the share of bars that are valid and not outliers, counting a bar once', () => {
    // Bar 1 breaks a rule; bar 2 is a +20 % jump; bar 3 breaks a rule and has zero volume.
    const bars = [bar(0), bar(1, { open: 102 }), bar(2, { open: 120, high: 121, close: 120 }), bar(3, { low: 100.5, volume: 0 })];
    const result = checkValidity(bars, { symbol: 'BTCUSD', timeframe: '1m' });
    expect(result).toMatchObject({ bars: 4, invalidBars: 2, outlierBars: 2, badBars: 3, score: 0.25 });
    expect(result.issues.map((i) => [i.type, i.rule, i.count, i.severity])).toEqual([
      ['invalid_bar', 'high_gte_open_close', 1, 'warning'],
      ['invalid_bar', 'low_lte_open_close', 1, 'warning'],
      ['outlier', 'price_change', 2, 'info'],
      ['outlier', 'zero_volume', 1, 'info'],
    ]);
    expect(result.issues[2]).toMatchObject({ symbol: 'BTCUSD', timeframe: '1m', timestamp: T0 + 2 * MIN, endTimestamp: T0 + 3 * MIN });
  });

  it('does not judge alignment (a consistency check)', () => {
    expect(checkValidity([bar(0, { timestamp: T0 + 17 })]).score).toBe(1);
  });

  it('scores an empty series 0', () => {
    expect(checkValidity([])).toMatchObject({ score: 0, bars: 0, issues: [] });
  });

  it('gives validity 1 to generated clean series and stays in [0, 1] with anomalies (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.double({ min: 0, max: 0.3, noNaN: true }), (seed, anomalyRate) => {
        const clean = generateOhlcv({ seed, count: 120 }).bars;
        expect(checkValidity(clean, { config: { outlierStdDevs: 8 } }).score).toBe(1);
        const dirty = generateOhlcv({ seed, count: 120, anomalyRate });
        const result = checkValidity(dirty.bars);
        expect(result.score).toBeGreaterThanOrEqual(0);
        expect(result.score).toBeLessThanOrEqual(1);
        expect(result.invalidBars).toBe(dirty.anomalies.length);
      }),
      { numRuns: 25 },
    );
  });

  it('does not modify its input', () => {
    const bars = Object.freeze([bar(0), bar(1, { volume: -1 })].map((b) => Object.freeze(b)));
    expect(checkValidity(bars).score).toBe(0.5);
  });
});
