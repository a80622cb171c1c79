import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Ohlcv } from '../../src/schemas/ohlcv.js';
import { isConfigError } from '../../src/errors/config-error.js';
import { generateOhlcv } from '../../src/testing/generate-ohlcv.js';
import { ANOMALY_RULES, type AnomalyRule } from '../../src/testing/generate-ohlcv-options.js';

const MINUTE = 60_000;

/** The market rules of DESIGN.md §2, checked by hand (not by the library's validator). */
function brokenRules(bar: Ohlcv): AnomalyRule[] {
  const values = [bar.open, bar.high, bar.low, bar.close, bar.volume];
  if (!values.every(Number.isFinite)) return ['finite_values'];
  const broken: AnomalyRule[] = [];
  if (!(bar.high >= bar.low)) broken.push('high_gte_low');
  if (!(bar.high >= bar.open && bar.high >= bar.close)) broken.push('high_gte_open_close');
  if (!(bar.low <= bar.open && bar.low <= bar.close)) broken.push('low_lte_open_close');
  if (!(bar.volume >= 0)) broken.push('volume_non_negative');
  return broken;
}

describe('generateOhlcv', () => {
  it('gives the same bars for the same options', () => {
    const options = { seed: 9, count: 500, gapRate: 0.02, duplicateRate: 0.02, anomalyRate: 0.02 };
    expect(generateOhlcv(options)).toEqual(generateOhlcv(options));
  });

  it('gives different bars for a different seed', () => {
    expect(generateOhlcv({ seed: 1, count: 10 }).bars).not.toEqual(generateOhlcv({ seed: 2, count: 10 }).bars);
  });

  it('uses its documented defaults: 1440 1m bars from 2025-01-01T00:00Z opening at 100', () => {
    const { bars, gaps, duplicates, anomalies } = generateOhlcv();
    expect(bars).toHaveLength(1440);
    expect(bars[0]?.timestamp).toBe(Date.UTC(2025, 0, 1));
    expect(bars[0]?.open).toBe(100);
    expect(bars.at(-1)?.timestamp).toBe(Date.UTC(2025, 0, 1, 23, 59));
    expect([gaps, duplicates, anomalies]).toEqual([[], [], []]);
  });

  it('makes valid, aligned, strictly increasing bars that open at the previous close', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 1, max: 300 }),
        fc.double({ min: 0, max: 0.05, noNaN: true }),
        (seed, count, volatility) => {
          const { bars } = generateOhlcv({ seed, count, volatility, timeframe: '5m' });
          expect(bars).toHaveLength(count);
          bars.forEach((bar, i) => {
            expect(brokenRules(bar)).toEqual([]);
            expect(bar.volume).toBeGreaterThan(0);
            expect(bar.timestamp % (5 * MINUTE)).toBe(0);
            if (i > 0) {
              const previous = bars[i - 1] as Ohlcv;
              expect(bar.timestamp - previous.timestamp).toBe(5 * MINUTE);
              expect(bar.open).toBe(previous.close);
            }
          });
        },
      ),
      { numRuns: 50 },
    );
  });

  it('reports exactly the gaps it leaves, never at either end', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        fc.integer({ min: 1, max: 12 }),
        (seed, gapRate, maxGapBars) => {
          const count = 400;
          const { bars, gaps } = generateOhlcv({ seed, count, gapRate, maxGapBars });
          // Find the gaps by hand from the timestamps.
          const found = [];
          for (let i = 1; i < bars.length; i++) {
            const step = (bars[i] as Ohlcv).timestamp - (bars[i - 1] as Ohlcv).timestamp;
            if (step > MINUTE) {
              const start = (bars[i - 1] as Ohlcv).timestamp + MINUTE;
              found.push({ start, end: (bars[i] as Ohlcv).timestamp, missing: (step - MINUTE) / MINUTE, index: i });
            }
          }
          expect(gaps).toEqual(found);
          expect(gaps.filter((g) => !(g.missing >= 1 && g.missing <= maxGapBars))).toEqual([]);
          expect(bars.length + gaps.reduce((n, g) => n + g.missing, 0)).toBe(count);
          expect(bars[0]?.timestamp).toBe(Date.UTC(2025, 0, 1));
          expect(bars.at(-1)?.timestamp).toBe(Date.UTC(2025, 0, 1) + (count - 1) * MINUTE);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('reports exactly the duplicate rows it adds', () => {
    const { bars, duplicates } = generateOhlcv({ seed: 5, count: 2000, duplicateRate: 0.05 });
    const repeated = [];
    for (let i = 1; i < bars.length; i++) {
      if ((bars[i] as Ohlcv).timestamp === (bars[i - 1] as Ohlcv).timestamp) repeated.push(i);
    }
    expect(duplicates.map((d) => d.index)).toEqual(repeated);
    expect(repeated.length).toBeGreaterThan(50); // about 5 % of 2000
    for (const d of duplicates) {
      expect(d.of).toBe(d.index - 1);
      expect(bars[d.index]).toEqual(bars[d.of]);
      expect(bars[d.index]?.timestamp).toBe(d.timestamp);
    }
    expect(bars.length).toBe(2000 + duplicates.length);
  });

  it('reports every anomalous bar with the rules it breaks, and no other bar breaks one', () => {
    const { bars, anomalies } = generateOhlcv({ seed: 11, count: 5000, anomalyRate: 0.03, duplicateRate: 0.01, gapRate: 0.01 });
    expect(new Set(anomalies.map((a) => a.rule))).toEqual(new Set(ANOMALY_RULES));
    const byIndex = new Map(anomalies.map((a) => [a.index, a]));
    bars.forEach((bar, i) => {
      const anomaly = byIndex.get(i);
      expect(brokenRules(bar)).toEqual(
        anomaly === undefined ? [] : [...anomaly.breaks].sort((a, b) => ANOMALY_RULES.indexOf(a) - ANOMALY_RULES.indexOf(b)),
      );
      if (anomaly !== undefined) expect(anomaly.timestamp).toBe(bar.timestamp);
    });
  });

  it('breaks only the rules it is asked to', () => {
    const { anomalies } = generateOhlcv({ seed: 3, count: 1000, anomalyRate: 0.1, anomalyRules: ['volume_non_negative'] });
    expect(anomalies.length).toBeGreaterThan(50);
    expect(anomalies.filter((a) => a.rule !== 'volume_non_negative')).toEqual([]);
  });

  it('throws ConfigError naming a bad option and its value', () => {
    const bad = [
      { gapRate: 1.5 },
      { count: -1 },
      { startPrice: 0 },
      { timeframe: '1M' as never },
      { anomalyRules: ['nope' as AnomalyRule] },
      { maxGapBars: 0 },
    ];
    for (const options of bad) {
      const key = Object.keys(options)[0] as string;
      let error: unknown;
      try {
        generateOhlcv(options);
      } catch (e) {
        error = e;
      }
      expect(isConfigError(error)).toBe(true);
      expect((error as Error).message).toContain(`\`${key}\``);
    }
  });
});
